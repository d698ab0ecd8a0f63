// A read-only view of the covariates of an evaluation: one row per person, one column per
// covariate (numeric, or a 0/1 indicator of a category), stored row-major as numpy and pandas
// hand it over. Columns carry names so that errors and balance tables can say which covariate.
#pragma once

#include "yosmodel/core/detail/eigen_core.hpp"

#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "yosmodel/core/error.hpp"

namespace yosmodel::evaluation {

using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Covariates as a row-major matrix the caller owns (the memory must outlive the view).
struct DesignMatrix {
    Eigen::Map<const RowMajorMatrix> values;
    std::vector<std::string> names;  ///< one per column, used in messages and tables

    DesignMatrix(const double* data, std::size_t rows, std::size_t columns,
                 std::vector<std::string> column_names)
        : values(data, static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(columns)),
          names(std::move(column_names)) {
        if (names.size() != columns)
            throw InputError("the design matrix has " + std::to_string(columns) + " columns but " +
                             std::to_string(names.size()) + " column names");
    }

    explicit DesignMatrix(const RowMajorMatrix& matrix, std::vector<std::string> column_names = {})
        : DesignMatrix(
              matrix.data(), static_cast<std::size_t>(matrix.rows()),
              static_cast<std::size_t>(matrix.cols()),
              column_names.empty() ? default_names(matrix.cols()) : std::move(column_names)) {}

    [[nodiscard]] std::size_t rows() const { return static_cast<std::size_t>(values.rows()); }
    [[nodiscard]] std::size_t columns() const { return static_cast<std::size_t>(values.cols()); }

    /// Throws InputError naming each column that holds a missing (NaN) or infinite value, with
    /// how many rows do.
    void check_finite() const {
        std::vector<std::size_t> bad(columns(), 0);
        for (Eigen::Index i = 0; i < values.rows(); ++i)
            for (Eigen::Index j = 0; j < values.cols(); ++j)
                if (!std::isfinite(values(i, j))) ++bad[static_cast<std::size_t>(j)];
        for (std::size_t j = 0; j < columns(); ++j)
            if (bad[j] != 0)
                throw InputError("covariate '" + names[j] + "': " + std::to_string(bad[j]) +
                                 " row(s) have a missing or infinite value; fill or drop them "
                                 "before estimating propensity scores");
    }

private:
    static std::vector<std::string> default_names(Eigen::Index columns) {
        std::vector<std::string> out;
        for (Eigen::Index j = 0; j < columns; ++j) {
            std::string name = "x";  // appended, not "x" + ...: g++ 12 -O3 warns falsely on that
            name += std::to_string(j + 1);
            out.push_back(std::move(name));
        }
        return out;
    }
};

}  // namespace yosmodel::evaluation
