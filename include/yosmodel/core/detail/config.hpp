// How the implementation files are compiled. The library's entry points are declared in the
// public headers and defined in <area>/detail/*-inl.hpp. Normally each -inl.hpp is compiled once,
// by src/<area>/<name>.cpp, into libyosmodel. With YOSMODEL_HEADER_ONLY defined (the
// yosmodel::header_only target defines it) the public headers include their -inl.hpp themselves
// and YOSMODEL_INLINE makes every definition inline, so any number of translation units may
// include them, as FMT_HEADER_ONLY does for fmt.
#pragma once

#ifdef YOSMODEL_HEADER_ONLY
#define YOSMODEL_INLINE inline
#else
#define YOSMODEL_INLINE
#endif
