#pragma once
// Respondents with known latent traits, and the 1-9 persona level scale.
//
// theta = means + L z with z ~ N(0, I_8) and L L^T = D R D (Cholesky),
// D = diag(sds), R the correlation matrix. Levels:
//   level(theta) = clamp(floor(5 + 2 theta + 0.5), 1, 9),  theta(level) = (level - 5) / 2,
// so level 5 covers theta in [-0.25, 0.25) and 1 / 9 everything beyond -/+1.75.
#include <cstdint>
#include <string>
#include <vector>

#include "experiments/world/rng.h"
#include "experiments/world/traits.h"

namespace traitlab::world {

struct WorldConfig;

struct Respondent {
  int64_t id = 0;
  TraitVector theta{};
};

// Lower-triangular L (row-major n x n) with L L^T = a; InputError naming
// `where` when a is not symmetric positive definite.
std::vector<double> cholesky(const std::vector<double>& a, int n, const std::string& where);

std::vector<Respondent> sample_population(const WorldConfig& cfg, WorldRng& rng);

int theta_to_level(double theta);
double level_to_theta(int level);

}  // namespace traitlab::world
