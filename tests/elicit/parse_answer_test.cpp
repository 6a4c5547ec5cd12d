// The answer parser and refusal detection on replies written the ways chat
// models answer (and fail to answer) multiple-choice questions.
#include <gtest/gtest.h>

#include "elicit/parse/answer_parser.h"
#include "elicit/parse/refusal.h"

namespace traitlab {
namespace {

const std::vector<std::string> kLetters = {"A", "B", "C", "D"};
const std::vector<std::string> kOptions = {
    "Walk over and introduce yourself.", "Stay near the door and check your phone.",
    "Ask the host to introduce you.", "Leave early and go home."};

int parse(const std::string& text) { return parse_answer(text, kLetters, kOptions).position; }

TEST(ParseAnswer, ExplicitForms) {
  EXPECT_EQ(parse("Answer: B"), 1);
  EXPECT_EQ(parse("answer: (C)"), 2);
  EXPECT_EQ(parse("My answer is D."), 3);
  EXPECT_EQ(parse("The answer would be option A because I like people."), 0);
  EXPECT_EQ(parse("(B)"), 1);
  EXPECT_EQ(parse("B."), 1);
  EXPECT_EQ(parse(" C) Ask the host"), 2);
  EXPECT_EQ(parse("D"), 3);
  EXPECT_EQ(parse("**B**"), 1);
  EXPECT_EQ(parse("**Answer: C**\n\nI would ask the host."), 2);
  EXPECT_EQ(parse("[A]"), 0);
}

TEST(ParseAnswer, StatedChoices) {
  EXPECT_EQ(parse("I choose option B."), 1);
  EXPECT_EQ(parse("I would pick C, since it is polite."), 2);
  EXPECT_EQ(parse("Honestly I'd go with D here."), 3);
  EXPECT_EQ(parse("Between these, (A) feels right to me."), 0);
  EXPECT_EQ(parse("I'd select option (C)"), 2);
}

TEST(ParseAnswer, FullOptionText) {
  EXPECT_EQ(parse("I would ask the host to introduce you."), 2);
  EXPECT_EQ(parse("leave early   and go home"), 3);
}

TEST(ParseAnswer, ArticleAIsNotOptionA) {
  // "A" only counts as a label when it stands as one.
  auto r = parse_answer("A party is a nice place to meet people.", kLetters, kOptions);
  EXPECT_EQ(r.position, -1);
  EXPECT_EQ(r.reason, "no_valid_choice");
  EXPECT_EQ(parse("I choose a quiet evening."), -1);
}

TEST(ParseAnswer, TwoLettersAssertedIsAmbiguous) {
  auto r = parse_answer("Answer: B or C", kLetters, kOptions);
  // "Answer: B" asserts B; "C" after "or" is not an assertion in tier 1, so
  // tier 1 decides B. Two explicit statements are ambiguous:
  EXPECT_EQ(r.position, 1);
  r = parse_answer("Answer: B. Actually, my answer is C.", kLetters, kOptions);
  EXPECT_EQ(r.position, -1);
  EXPECT_EQ(r.reason, "ambiguous");
  r = parse_answer("I choose option A or option D.", kLetters, kOptions);
  EXPECT_EQ(r.position, -1);
  EXPECT_EQ(r.reason, "ambiguous");
}

TEST(ParseAnswer, ExplicitChoiceBeatsRefusalLanguage) {
  EXPECT_EQ(parse("As an AI, I don't have personal preferences, but I would choose B."), 1);
}

TEST(ParseAnswer, Refusals) {
  for (const std::string text :
       {"As an AI language model, I do not have personal experiences.",
        "I can't make that choice for you.", "I cannot choose between these options.",
        "I'm not able to pick one.", "I\xE2\x80\x99m unable to answer that."}) {
    auto r = parse_answer(text, kLetters, kOptions);
    EXPECT_EQ(r.position, -1) << text;
    EXPECT_EQ(r.reason, "refusal_language") << text;
    EXPECT_FALSE(r.phrase.empty()) << text;
  }
  auto r = parse_answer("Hmm, that is a difficult situation to be in.", kLetters, kOptions);
  EXPECT_EQ(r.reason, "no_valid_choice");
}

TEST(ParseAnswer, RefusalPhrasesNeedWordBoundaries) {
  EXPECT_EQ(find_refusal_phrase("I cannot"), "i cannot");
  EXPECT_EQ(find_refusal_phrase("I cannotate"), "");
  EXPECT_EQ(find_refusal_phrase("Basan AI"), "");
}

TEST(ParseAnswer, LikertDigits) {
  const std::vector<std::string> labels = {"1", "2", "3", "4", "5"};
  const std::vector<std::string> anchors = {"Strongly disagree", "Disagree", "Neutral", "Agree",
                                            "Strongly agree"};
  EXPECT_EQ(parse_answer("4", labels, anchors).position, 3);
  EXPECT_EQ(parse_answer("Rating: 2", labels, anchors).position, 1);
  EXPECT_EQ(parse_answer("I would rate it 5 out of 5", labels, anchors).position, 4);
  EXPECT_EQ(parse_answer("Strongly agree", labels, anchors).position, 4);
  // "Agree" lies inside "Strongly agree" (the longer match wins) and inside
  // "Disagree" only off a word boundary.
  EXPECT_EQ(parse_answer("I agree", labels, anchors).position, 3);
  EXPECT_EQ(parse_answer("I strongly disagree.", labels, anchors).position, 0);
  EXPECT_EQ(parse_answer("Agree or disagree", labels, anchors).reason, "ambiguous");
  const std::vector<std::string> eleven = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"};
  EXPECT_EQ(parse_answer("Answer: 10", eleven, std::vector<std::string>(11, "x y z")).position, 9);
}

}  // namespace
}  // namespace traitlab
