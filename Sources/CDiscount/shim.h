#pragma once
#include <mkdio.h>
