// yosmodel: youth offending inspections and proven reoffending measures.
// The umbrella header: everything public, for programs that do not mind the compile time.
#pragma once

#include "yosmodel/core/buckets.hpp"
#include "yosmodel/core/column.hpp"
#include "yosmodel/core/dates.hpp"
#include "yosmodel/core/error.hpp"
#include "yosmodel/core/group_index.hpp"
#include "yosmodel/core/key_space.hpp"
#include "yosmodel/core/parallel.hpp"
#include "yosmodel/reoffending/aggregate.hpp"
#include "yosmodel/reoffending/cohort.hpp"
#include "yosmodel/reoffending/cohort_rules.hpp"
#include "yosmodel/reoffending/count_column.hpp"
#include "yosmodel/reoffending/counts.hpp"
#include "yosmodel/reoffending/event_columns.hpp"
#include "yosmodel/reoffending/partial_table.hpp"
#include "yosmodel/reoffending/rates.hpp"
#include "yosmodel/stats/difference.hpp"
#include "yosmodel/stats/proportion_interval.hpp"
#include "yosmodel/version.hpp"
