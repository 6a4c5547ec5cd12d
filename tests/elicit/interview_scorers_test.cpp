// Interview text scorers on hand-checked texts, the interview runner, and
// few-shot personas (split without leakage, level -> answer).
#include <gtest/gtest.h>

#include <fstream>

#include "core/model/installed_hooks.h"
#include "core/ops/next_token.h"
#include "core/util/error.h"
#include "elicit/instruments/instrument.h"
#include "elicit/interview/interview.h"
#include "elicit/interview/lexicon_scorer.h"
#include "elicit/interview/rater_scorer.h"
#include "elicit/techniques/fewshot.h"
#include "tests/core/ops_test_util.h"
#include "tests/experiments/cli_test_util.h"

namespace traitlab {
namespace {

Checkpoint& tok_model() {
  static Checkpoint ck = load_checkpoint(testing::llama_tok_dir());
  return ck;
}

TEST(LexiconScorer, WordsAndWildcards) {
  EXPECT_EQ(LexiconScorer::words("I\u2019m CURIOUS -- new ideas, 2 teams' plans!"),
            (std::vector<std::string>{"i'm", "curious", "new", "ideas", "teams", "plans"}));
  EXPECT_TRUE(LexiconScorer::matches("organised", "organi*"));
  EXPECT_TRUE(LexiconScorer::matches("organi", "organi*"));
  EXPECT_FALSE(LexiconScorer::matches("organ", "organi*"));
  EXPECT_FALSE(LexiconScorer::matches("planet", "plan"));
}

TEST(LexiconScorer, HandCheckedTexts) {
  LexiconScorer s = LexiconScorer::load();
  // 10 words; high: plan, carefully (careful*), organised (organi*); low: late.
  const std::string c = "I plan carefully and I am organised, but sometimes late.";
  const LexiconCounts k = s.counts(c, Trait::Conscientiousness);
  EXPECT_EQ(k.n_words, 10);
  EXPECT_EQ(k.high, 3);
  EXPECT_EQ(k.low, 1);
  // 5 words; Openness high: curious, explore (explor*), new, ideas; Extraversion high: people.
  const auto sc = s.score("Curious people explore new ideas.",
                          {Trait::Openness, Trait::Extraversion, Trait::Conscientiousness});
  EXPECT_DOUBLE_EQ(sc.at(Trait::Openness), 80.0);
  EXPECT_DOUBLE_EQ(sc.at(Trait::Extraversion), 20.0);
  EXPECT_DOUBLE_EQ(sc.at(Trait::Conscientiousness), 0.0);
  EXPECT_DOUBLE_EQ(s.score(c, {Trait::Conscientiousness}).at(Trait::Conscientiousness), 20.0);
  // 5 words; Neuroticism low: calm (calm*), relaxed (relax*).
  EXPECT_DOUBLE_EQ(s.score("I stay calm and relaxed.", {Trait::Neuroticism}).at(Trait::Neuroticism),
                   -40.0);
  EXPECT_DOUBLE_EQ(s.score("", {Trait::Neuroticism}).at(Trait::Neuroticism), 0.0);
}

TEST(LexiconScorer, MalformedLexiconsAreInputErrors) {
  testing::TempDir tmp("lexicon_bad");
  auto write = [&](const std::string& text) {
    std::ofstream(tmp.sub("lex.json")) << text;
    return tmp.sub("lex.json");
  };
  EXPECT_THROW(LexiconScorer::load(write(R"({"Openness": {"high": ["new"], "low": ["new"]}})")),
               InputError);
  EXPECT_THROW(LexiconScorer::load(write(R"({"Grit": {"high": ["a"], "low": ["b"]}})")),
               InputError);
  EXPECT_THROW(LexiconScorer::load(write(R"({"Openness": {"high": [], "low": ["b"]}})")),
               InputError);
}

TEST(RaterScorer, ExpectedValueOfTheScaleLabels) {
  Checkpoint& ck = tok_model();
  const PersonaBank bank = PersonaBank::load(banks_dir());
  RaterScorer r(ck, bank, /*chat=*/true);
  const std::string text = "I love meeting new people at parties.";
  const std::string prompt = r.prompt(text, "talkative");
  EXPECT_NE(prompt.find("The author of this text is talkative."), std::string::npos);
  EXPECT_NE(prompt.find(text), std::string::npos);
  // Independent recomputation from the full next-token distribution.
  const torch::Tensor lp = next_token_logprobs(ck.model, ck.chat.encode(*ck.tokenizer, prompt));
  std::vector<double> mass;
  double total = 0;
  for (int k = 1; k <= 5; ++k) {
    double m = 0;
    for (int32_t id : label_token_ids(*ck.tokenizer, std::to_string(k)))
      m += std::exp(lp[id].item<double>());
    mass.push_back(m);
    total += m;
  }
  double expected = 0;
  for (int k = 0; k < 5; ++k) expected += (k + 1) * mass[k] / total;
  const RaterQuestion q = r.ask(text, "talkative");
  EXPECT_NEAR(q.expected, expected, 1e-6);
  EXPECT_NEAR(q.label_mass, total, 1e-6);
  EXPECT_GE(q.expected, 1.0);
  EXPECT_LE(q.expected, 5.0);
  const TraitMarkers& m = bank.trait("Extraversion");
  const double hi = r.ask(text, m.label_high).expected, lo = r.ask(text, m.label_low).expected;
  EXPECT_NEAR(r.score(text, {Trait::Extraversion}).at(Trait::Extraversion), (hi + 6.0 - lo) / 2.0,
              1e-12);
  // A steering hook on the model does not reach the rater.
  HookSet h;
  h.add("layers.0.resid_post", [](const torch::Tensor& a, const HookContext&) { return a * 5; });
  auto guard = install_hooks(ck.model.get(), std::move(h));
  EXPECT_EQ(r.ask(text, "talkative").expected, q.expected);
}

TEST(Interview, PromptsCuesAndSeededSamples) {
  Checkpoint& ck = tok_model();
  auto questions = load_interview_questions();
  auto cues = load_activation_cues();
  ASSERT_GE(questions.size(), 3u);
  const ActivationCue* cue = cue_for(questions[0], cues, 1);
  ASSERT_NE(cue, nullptr);
  EXPECT_NE(std::find(questions[0].targets.begin(), questions[0].targets.end(), cue->trait),
            questions[0].targets.end());
  EXPECT_EQ(interview_prompt(ck, "P.", questions[0], cue, false),
            "P.\n\nInterviewer: " + cue->text + " " + questions[0].text + "\nCandidate:");
  LexiconScorer lex = LexiconScorer::load();
  InterviewSpec spec;
  spec.n_questions = 2;
  spec.samples = 2;
  spec.max_new_tokens = 6;
  spec.chat = true;
  spec.seed = 4;
  spec.lexicon = &lex;
  const auto a = run_interview_persona(ck, "You are calm.", spec);
  const auto b = run_interview_persona(ck, "You are calm.", spec);
  ASSERT_EQ(a.size(), 4u);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].text, b[i].text);
    EXPECT_EQ(a[i].lexicon.size(), 8u);
    EXPECT_EQ(a[i].question_id, questions[i / 2].id);
    EXPECT_EQ(a[i].sample, static_cast<int>(i % 2));
  }
  spec.samples = 0;
  EXPECT_THROW(run_interview_persona(ck, "", spec), InputError);
}

TEST(Fewshot, SplitKeepsExamplesOutOfTheMeasuredItems) {
  const Instrument inst = load_instrument("ipip50");
  const FewshotSplit s = split_fewshot(inst, 3, 7);
  EXPECT_EQ(s.measured.size() + s.example_ids.size(), inst.size());
  EXPECT_EQ(s.example_ids.size(), 3u * inst.traits().size());
  for (const auto& it : s.measured.likert)
    EXPECT_EQ(s.example_ids.count(trait_name(it.trait) + "/" + it.id), 0u) << it.id;
  // Seeded: the same seed gives the same split, another seed (here) another.
  EXPECT_EQ(split_fewshot(inst, 3, 7).example_ids, s.example_ids);
  EXPECT_NE(split_fewshot(inst, 3, 8).example_ids, s.example_ids);
  const std::string text = fewshot_text(inst, s, {{Trait::Openness, 9}});
  for (const auto& id : s.examples.at(Trait::Openness)) {
    for (const auto& it : inst.likert) {
      if (it.id == id) {
        EXPECT_NE(text.find(it.text), std::string::npos) << id;
      }
    }
  }
  for (const auto& it : s.measured.likert)
    EXPECT_EQ(text.find(it.text), std::string::npos) << "measured item leaked: " << it.id;
  EXPECT_THROW(split_fewshot(inst, 10, 7), InputError);  // nothing left to measure
  EXPECT_THROW(fewshot_text(inst, s, {{Trait::Openness, 0}}), InputError);
}

TEST(Fewshot, LevelToAnswer) {
  LikertItem it;
  it.scale_points = 5;
  it.key = 1;
  EXPECT_EQ(fewshot_likert_answer(it, 9), 5);
  EXPECT_EQ(fewshot_likert_answer(it, 5), 3);
  EXPECT_EQ(fewshot_likert_answer(it, 1), 1);
  EXPECT_EQ(fewshot_likert_answer(it, 7), 4);  // 1 + 6 * 4 / 8 = 4
  it.key = -1;
  EXPECT_EQ(fewshot_likert_answer(it, 9), 1);
  EXPECT_EQ(fewshot_likert_answer(it, 3), 4);  // keyed 2 -> raw 4
  EXPECT_THROW(fewshot_likert_answer(it, 10), InputError);
}

}  // namespace
}  // namespace traitlab

namespace traitlab {
namespace {

std::string input_error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an InputError";
  return "";
}

TEST(InterviewBank, BadFilesAreInputErrorsNamingTheLine) {
  testing::TempDir tmp("interview_bank_bad");
  const std::string q = tmp.sub("q.jsonl");
  std::ofstream(q) << R"({"id": "a", "text": "Hi?", "targets": ["Openness"]})"
                   << "\n"
                   << R"({"id": "b", "text": "Why?", "targets": ["Grit"]})"
                   << "\n";
  std::string msg = input_error_of([&] { load_interview_questions(q); });
  EXPECT_NE(msg.find(q + ":2: targets: unknown trait 'Grit'"), std::string::npos) << msg;
  std::ofstream(q) << R"({"id": "a", "text": "Hi?"})"
                   << "\n"
                   << R"({"id": "a", "text": "Again?"})";
  msg = input_error_of([&] { load_interview_questions(q); });
  EXPECT_NE(msg.find(q + ":2: duplicate id 'a'"), std::string::npos) << msg;
  std::ofstream(q) << R"({"text": "no id"})";
  msg = input_error_of([&] { load_interview_questions(q); });
  EXPECT_NE(msg.find(q + ":1: needs string fields 'id' and 'text'"), std::string::npos) << msg;
  const std::string c = tmp.sub("cues.json");
  std::ofstream(c) << R"({"Openness": [{"id": "x"}]})";
  msg = input_error_of([&] { load_activation_cues(c); });
  EXPECT_NE(msg.find(c + ": Openness[0]: needs string fields 'id' and 'text'"), std::string::npos)
      << msg;
}

}  // namespace
}  // namespace traitlab
