// Eigen/Core for every yosmodel header that uses Eigen. GCC 12 reports -Wmaybe-uninitialized
// inside its own AVX-512 intrinsics (avx512fintrin.h) when Eigen's matrix product kernels are
// inlined with -march=native, even though both headers are system headers (GCC bug 105593,
// fixed in GCC 13). The warning is silenced for the text of Eigen/Core and what it includes
// (the intrinsics headers) only, so yosmodel's own code keeps the warning. Include this before
// any other Eigen header: the intrinsics are pulled in by the first Eigen/Core include.
#pragma once

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <Eigen/Core>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
