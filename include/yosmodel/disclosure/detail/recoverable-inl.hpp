// The exact recoverability check by linear algebra (declared in disclosure/recoverable.hpp);
// Eigen's LU is reached from here only.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <vector>

#include "yosmodel/core/detail/eigen_core.hpp"  // first: before any other Eigen header

#include <Eigen/Dense>

#include "yosmodel/disclosure/recoverable.hpp"
#include "yosmodel/disclosure/table_lines.hpp"

namespace yosmodel::disclosure {

YOSMODEL_INLINE std::vector<std::size_t> recoverable_cells(const TableLines& table,
                                                           const std::vector<bool>& suppressed) {
    const std::size_t n = table.cells;
    // Suppressed cells that share an equation belong to one group (union-find).
    std::vector<std::size_t> parent(n);
    std::iota(parent.begin(), parent.end(), std::size_t{0});
    const auto find = [&](std::size_t c) {
        while (parent[c] != c)
            c = parent[c] = parent[parent[c]];
        return c;
    };
    const auto unknowns_of = [&](const TableLine& line) {
        std::vector<std::size_t> cells;
        if (suppressed[line.total]) cells.push_back(line.total);
        for (auto c : line.parts)
            if (suppressed[c]) cells.push_back(c);
        return cells;
    };
    for (const auto& line : table.lines) {
        const auto cells = unknowns_of(line);
        for (std::size_t i = 1; i < cells.size(); ++i)
            parent[find(cells[i])] = find(cells[0]);
    }
    std::vector<std::vector<std::size_t>> members(n);
    std::vector<std::vector<std::size_t>> equations(n);
    for (std::size_t c = 0; c < n; ++c)
        if (suppressed[c]) members[find(c)].push_back(c);
    for (std::size_t l = 0; l < table.lines.size(); ++l) {
        const auto cells = unknowns_of(table.lines[l]);
        if (!cells.empty()) equations[find(cells[0])].push_back(l);
    }

    std::vector<std::size_t> recoverable;
    std::vector<std::ptrdiff_t> column_of(n, -1);
    for (std::size_t root = 0; root < n; ++root) {
        const auto& cells = members[root];
        if (cells.empty() || equations[root].empty()) continue;  // no equation: unknowable
        for (std::size_t j = 0; j < cells.size(); ++j)
            column_of[cells[j]] = static_cast<std::ptrdiff_t>(j);
        Eigen::MatrixXd system =
            Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(equations[root].size()),
                                  static_cast<Eigen::Index>(cells.size()));
        for (std::size_t r = 0; r < equations[root].size(); ++r) {
            const auto& line = table.lines[equations[root][r]];
            const auto row = static_cast<Eigen::Index>(r);
            if (suppressed[line.total]) system(row, column_of[line.total]) = -1.0;
            for (auto c : line.parts)
                if (suppressed[c]) system(row, column_of[c]) = 1.0;
        }
        Eigen::FullPivLU<Eigen::MatrixXd> lu(system);
        lu.setThreshold(1e-9);
        // A cell is free iff some solution of the homogeneous system moves it.
        const Eigen::MatrixXd kernel = lu.dimensionOfKernel() == 0
                                           ? Eigen::MatrixXd::Zero(system.cols(), 1)
                                           : Eigen::MatrixXd(lu.kernel());
        const double scale = std::max(1.0, kernel.cwiseAbs().maxCoeff());
        for (std::size_t j = 0; j < cells.size(); ++j)
            if (kernel.row(static_cast<Eigen::Index>(j)).cwiseAbs().maxCoeff() <= 1e-9 * scale)
                recoverable.push_back(cells[j]);
    }
    std::sort(recoverable.begin(), recoverable.end());
    return recoverable;
}

}  // namespace yosmodel::disclosure
