#include "json/strict.hpp"
