#include "elicit/scoring/option_logliks.h"

#include <algorithm>
#include <map>
#include <numeric>

#include "core/ops/loglik.h"
#include "core/ops/packed_options.h"
#include "core/util/error.h"

namespace traitlab {
namespace {

// One set: a prompt's options that share an encoded context.
struct Job {
  size_t prompt = 0;
  std::vector<size_t> members;  // continuation indices within the prompt
  OptionSet set;
};

std::vector<Job> encode_jobs(const Checkpoint& ck, const std::vector<const Prompt*>& prompts) {
  const int32_t prefix = default_prefix_token_id(*ck.tokenizer, ck.model->config());
  std::vector<Job> jobs;
  for (size_t i = 0; i < prompts.size(); ++i) {
    const Prompt& p = *prompts[i];
    std::map<std::vector<int32_t>, size_t> by_context;  // context -> job index
    for (size_t k = 0; k < p.continuations.size(); ++k) {
      EncodedPair pair = encode_pair(*ck.tokenizer, p.cloze_text, p.continuations[k], prefix);
      auto it = by_context.find(pair.context);
      if (it == by_context.end()) {
        it = by_context.emplace(pair.context, jobs.size()).first;
        Job j;
        j.prompt = i;
        j.set.context = std::move(pair.context);
        jobs.push_back(std::move(j));
      }
      jobs[it->second].members.push_back(k);
      jobs[it->second].set.options.push_back(std::move(pair.continuation));
    }
  }
  return jobs;
}

bool packable(const ModelConfig& cfg, const OptionSet& s) {
  for (const auto& o : s.options)
    if (o.empty()) return false;
  return packing_is_exact(cfg, s);
}

}  // namespace

std::vector<std::vector<double>> option_logliks(Checkpoint& ck,
                                                const std::vector<const Prompt*>& prompts,
                                                OptionPacking packing, int batch_size) {
  TORCH_INTERNAL_ASSERT(packing != OptionPacking::Auto, "option_logliks: unresolved packing");
  std::vector<std::vector<double>> out(prompts.size());
  for (size_t i = 0; i < prompts.size(); ++i) out[i].resize(prompts[i]->continuations.size());
  const std::vector<Job> jobs = encode_jobs(ck, prompts);
  auto put = [&](const Job& j, size_t m, double v) { out[j.prompt][j.members[m]] = v; };

  std::vector<size_t> packed;  // jobs for the packed path, by ascending length
  for (size_t n = 0; n < jobs.size(); ++n) {
    const Job& j = jobs[n];
    if (packing == OptionPacking::Separate) {
      for (size_t m = 0; m < j.members.size(); ++m)
        put(j, m, score_continuation(ck.model, j.set.context, j.set.options[m]).logprob_sum);
    } else if (packing == OptionPacking::Packed && packable(ck.model->config(), j.set)) {
      packed.push_back(n);
    } else {
      const auto scores = score_options(ck.model, j.set.context, j.set.options);
      for (size_t m = 0; m < j.members.size(); ++m) put(j, m, scores[m].logprob_sum);
    }
  }
  // Similar lengths in one batch keep the padding small.
  std::stable_sort(packed.begin(), packed.end(), [&](size_t a, size_t b) {
    return packed_length(jobs[a].set) < packed_length(jobs[b].set);
  });
  const size_t step = static_cast<size_t>(std::max(1, batch_size));
  for (size_t start = 0; start < packed.size(); start += step) {
    const size_t end = std::min(packed.size(), start + step);
    std::vector<OptionSet> sets;
    for (size_t n = start; n < end; ++n) sets.push_back(jobs[packed[n]].set);
    const auto scores = score_packed_options(ck.model, sets);
    for (size_t n = start; n < end; ++n) {
      const Job& j = jobs[packed[n]];
      for (size_t m = 0; m < j.members.size(); ++m) put(j, m, scores[n - start][m].logprob_sum);
    }
  }
  return out;
}

std::vector<double> unconditional_logliks(Checkpoint& ck, const std::vector<std::string>& texts,
                                          OptionPacking packing, int batch_size) {
  std::map<std::string, size_t> unique;  // text -> index into `distinct`
  std::vector<std::string> distinct;
  for (const auto& t : texts)
    if (unique.emplace(t, distinct.size()).second) distinct.push_back(t);
  // Empty contexts: every option of a prompt shares the one-token prefix
  // context; a few options per prompt keep packed rows short.
  constexpr size_t kPerPrompt = 8;
  std::vector<Prompt> holders;
  for (size_t start = 0; start < distinct.size(); start += kPerPrompt) {
    Prompt p;
    const size_t end = std::min(distinct.size(), start + kPerPrompt);
    p.continuations.assign(distinct.begin() + static_cast<std::ptrdiff_t>(start),
                           distinct.begin() + static_cast<std::ptrdiff_t>(end));
    p.option_texts = p.continuations;
    holders.push_back(std::move(p));
  }
  std::vector<const Prompt*> ptrs;
  for (const auto& p : holders) ptrs.push_back(&p);
  const auto sums = option_logliks(ck, ptrs, packing, batch_size);
  std::vector<double> out;
  out.reserve(texts.size());
  for (const auto& t : texts) {
    const size_t d = unique.at(t);
    out.push_back(sums[d / kPerPrompt][d % kPerPrompt]);
  }
  return out;
}

}  // namespace traitlab
