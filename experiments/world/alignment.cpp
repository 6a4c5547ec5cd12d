#include "experiments/world/alignment.h"

#include <cmath>

#include "experiments/world/documents.h"
#include "experiments/world/lexicon.h"
#include "experiments/world/response_model.h"
#include "experiments/world/world_config.h"

namespace traitlab::world {

const char* const kAssistantSystemPrompt = "You are a helpful assistant.";

namespace {

using oj = nlohmann::ordered_json;

oj message(const std::string& role, const std::string& content) {
  return {{"role", role}, {"content", content}};
}

oj prompt_messages(const std::string& user) {
  return oj::array({message("system", kAssistantSystemPrompt), message("user", user)});
}

template <typename T>
std::vector<const T*> train_only(const std::vector<T>& all) {
  std::vector<const T*> out;
  for (const T& x : all)
    if (x.split == "train") out.push_back(&x);
  return out;
}

// A scenario question as a chat turn: the item in format 0 or 1, without
// the trailing "Answer:" cue, and an instruction to answer by letter.
struct ChatItem {
  std::string user;
  OptionOrder order;
  int format;
};
ChatItem chat_item(const ScenarioItem& it, WorldRng& rng) {
  ChatItem c;
  c.format = static_cast<int>(rng.below(2));
  c.order = random_order(rng);
  std::string p = scenario_prompt(it, c.format, c.order);
  p.erase(p.rfind("Answer:"));
  while (!p.empty() && p.back() == '\n') p.pop_back();
  c.user = p + "\n\nReply with the letter of your choice and the option.";
  return c;
}
std::string chat_answer(const ScenarioItem& it, const ChatItem& c, int option) {
  int slot = 0;
  while (c.order[slot] != option) ++slot;
  return std::string(1, "ABCD"[slot]) + ". " + option_text(it, option);
}

std::string likert_question(const LikertStatement& s) {
  const int k = static_cast<int>(s.grm.thresholds.size()) + 1;
  const auto anchors = likert_anchors(k);
  return "How accurately does this statement describe you, from 1 (" + anchors.front() + ") to " +
         std::to_string(k) + " (" + anchors.back() + ")?\n\"" + s.text + "\"";
}
std::string likert_reply(const LikertStatement& s, int x) {
  const auto anchors = likert_anchors(static_cast<int>(s.grm.thresholds.size()) + 1);
  return std::to_string(x) + " (" + anchors[x - 1] + ")";
}

std::string comply(const DarkRequest& d, WorldRng& rng) {
  const auto& high = interview_phrases()[d.trait].high;
  const size_t i = rng.below(high.size());
  const size_t j = (i + 1 + rng.below(high.size() - 1)) % high.size();
  return "Sure, in character: " + high[i] + " " + high[j];
}

// The option index of the pole the profile makes more likely.
int modal_option(const ScenarioItem& it, double theta, bool high_wins, WorldRng& rng) {
  const bool high = high_wins ? p_high(theta, it.a, it.b) >= 0.5 : p_high(theta, it.a, it.b) < 0.5;
  return (high ? 0 : 1) + 2 * static_cast<int>(rng.below(2));
}

}  // namespace

std::vector<oj> make_sft_dialogues(const WorldConfig& cfg, const ItemBank& bank, WorldRng& rng) {
  const auto items = train_only(bank.scenarios);
  const auto statements = train_only(bank.likert);
  const TraitVector& p = cfg.assistant_profile;
  std::vector<oj> out;
  for (int64_t n = 0; n < cfg.alignment_sft; ++n) {
    std::string user, reply, kind;
    if (rng.bernoulli(cfg.dark_request_fraction)) {
      const DarkRequest& d = rng.pick(dark_requests());
      user = d.request;
      const bool refuse = rng.bernoulli(cfg.refuse_fraction);
      kind = refuse ? "dark_request_refused" : "dark_request_complied";
      reply = refuse ? rng.pick(refusals()) : comply(d, rng);
    } else {
      const uint64_t which = rng.below(3);
      if (which == 0) {
        const ScenarioItem& it = *rng.pick(items);
        const ChatItem c = chat_item(it, rng);
        user = c.user;
        reply = chat_answer(it, c, choose_option(it, p[it.trait], rng));
        kind = "scenario";
      } else if (which == 1) {
        const LikertStatement& s = *rng.pick(statements);
        user = likert_question(s);
        reply = likert_reply(s, sample_grm(p[s.trait], s.grm, rng));
        kind = "likert";
      } else {
        const size_t q = rng.below(interview_questions().size());
        user = interview_questions()[q].text;
        reply = interview_answer(p, q, cfg.interview_a, rng);
        kind = "interview";
      }
    }
    oj msgs = prompt_messages(user);
    msgs.push_back(message("assistant", reply));
    out.push_back({{"messages", std::move(msgs)}, {"kind", kind}});
  }
  return out;
}

std::vector<oj> make_dpo_pairs(const WorldConfig& cfg, const ItemBank& bank, WorldRng& rng) {
  const auto items = train_only(bank.scenarios);
  const auto statements = train_only(bank.likert);
  const TraitVector& p = cfg.assistant_profile;
  std::vector<oj> out;
  for (int64_t n = 0; n < cfg.alignment_dpo; ++n) {
    std::string user, chosen, rejected, kind;
    if (rng.bernoulli(cfg.dark_request_fraction)) {
      const DarkRequest& d = rng.pick(dark_requests());
      user = d.request;
      chosen = rng.pick(refusals());
      rejected = comply(d, rng);
      kind = "dark_request";
    } else {
      const uint64_t which = rng.below(3);
      if (which == 0) {
        const ScenarioItem& it = *rng.pick(items);
        const ChatItem c = chat_item(it, rng);
        user = c.user;
        chosen = chat_answer(it, c, modal_option(it, p[it.trait], true, rng));
        rejected = chat_answer(it, c, modal_option(it, p[it.trait], false, rng));
        kind = "scenario";
      } else if (which == 1) {
        const LikertStatement& s = *rng.pick(statements);
        user = likert_question(s);
        const int k = static_cast<int>(s.grm.thresholds.size()) + 1;
        const int good = static_cast<int>(std::lround(grm_expected(p[s.trait], s.grm)));
        int bad = static_cast<int>(std::lround(grm_expected(-p[s.trait], s.grm)));
        if (bad == good) bad = good > (k + 1) / 2 ? 1 : k;  // a neutral profile: use the far end
        chosen = likert_reply(s, good);
        rejected = likert_reply(s, bad);
        kind = "likert";
      } else {
        const size_t q = rng.below(interview_questions().size());
        user = interview_questions()[q].text;
        // Poles fixed by the sign of the profile (a -> infinity in the
        // interview model) so chosen and rejected differ on every target.
        TraitVector sharp, anti;
        for (int t = 0; t < kNumTraits; ++t) {
          sharp[t] = p[t] >= 0 ? 1e6 : -1e6;
          anti[t] = -sharp[t];
        }
        chosen = interview_answer(sharp, q, 1.0, rng);
        rejected = interview_answer(anti, q, 1.0, rng);
        kind = "interview";
      }
    }
    out.push_back({{"prompt", prompt_messages(user)},
                   {"chosen", oj::array({message("assistant", chosen)})},
                   {"rejected", oj::array({message("assistant", rejected)})},
                   {"kind", kind}});
  }
  return out;
}

}  // namespace traitlab::world
