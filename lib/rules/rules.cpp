#include "rules/rules.hpp"
