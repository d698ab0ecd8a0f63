// Propensity score fitting and matching alone (no Python), at the size of the target:
// 10^4 participants against a pool of 10^6 with 20 covariates, by thread count.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#include "yosmodel/evaluation/logistic_regression.hpp"
#include "yosmodel/evaluation/matching.hpp"

using namespace yosmodel::evaluation;

namespace {

constexpr Eigen::Index participants = 10'000, pool = 1'000'000, covariates = 20;

struct Programme {
    RowMajorMatrix x;
    std::vector<std::uint8_t> treated;
};

// Participants' covariates are shifted from the pool's (two Gaussians with equal covariance: the
// logistic model is exactly right), so matching has real work to do.
const Programme& programme() {
    static const Programme p = [] {
        Programme out;
        out.x.resize(participants + pool, covariates);
        out.treated.assign(static_cast<std::size_t>(participants + pool), 0);
        std::mt19937_64 rng(42);
        std::normal_distribution<double> normal;
        for (Eigen::Index i = 0; i < out.x.rows(); ++i) {
            const bool t = i % 101 == 0 && i / 101 < participants;
            out.treated[static_cast<std::size_t>(i)] = t;
            for (Eigen::Index j = 0; j < covariates; ++j)
                out.x(i, j) = normal(rng) + (t ? 0.25 * static_cast<double>(j % 5) / 4.0 : 0.0);
        }
        return out;
    }();
    return p;
}

void BM_fit_logistic(benchmark::State& state) {
    const auto& p = programme();
    const DesignMatrix x(p.x);
    for (auto _ : state) {
        auto fit = fit_logistic(x, p.treated, {.threads = static_cast<unsigned>(state.range(0))});
        benchmark::DoNotOptimize(fit.coefficients.data());
    }
    state.SetItemsProcessed(state.iterations() * p.x.rows());
}
BENCHMARK(BM_fit_logistic)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_match(benchmark::State& state) {
    const auto& p = programme();
    static const auto fit = fit_logistic(DesignMatrix(p.x), p.treated);
    std::vector<double> t, c;
    for (std::size_t i = 0; i < p.treated.size(); ++i)
        (p.treated[i] ? t : c).push_back(fit.logits[i]);
    const double caliper = 0.2 * pooled_standard_deviation(t, c);
    for (auto _ : state) {
        auto m = match_nearest(t, c,
                               {.caliper = caliper,
                                .replacement = state.range(0) != 0,
                                .seed = 1,
                                .threads = static_cast<unsigned>(state.range(1))});
        benchmark::DoNotOptimize(m.comparison.data());
    }
}
BENCHMARK(BM_match)
    ->ArgNames({"replacement", "threads"})
    ->Args({1, 1})
    ->Args({1, 2})
    ->Args({0, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
