// An inspected case: an id and the attributes inspections sample and report by (sentence type,
// risk of harm, vulnerability, sex, ethnicity, age, current or ended).
#pragma once

#include <boost/container/flat_map.hpp>
#include <string>

namespace yosmodel::inspection {

struct Case {
    std::string id;
    boost::container::flat_map<std::string, std::string> attributes;
};

}  // namespace yosmodel::inspection
