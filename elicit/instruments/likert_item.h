#pragma once
// A Likert questionnaire item (IPIP, BFI-style): a statement rated on a
// k-point scale with named anchors.
#include <string>
#include <vector>

#include "elicit/traits.h"

namespace traitlab {

struct LikertItem {
  std::string id;  // unique within an instrument
  std::string text;
  Trait trait = Trait::Openness;
  std::string facet;                 // may be empty
  int key = 1;                       // +1: agreeing means more of the trait; -1: reverse-keyed
  int scale_points = 5;              // 2..11
  std::vector<std::string> anchors;  // size == scale_points; anchors[0] is the lowest point
  std::string source;                // may be empty
  std::string file;
  int line = 0;  // JSONL/CSV: 1-based line; JSON array: 0-based index

  // Keyed score of a response on 1..scale_points: x, or (k + 1 - x) when
  // reverse-keyed.
  int keyed_score(int response) const;
};

// The anchors used when an item gives none (5 points only): "Strongly
// disagree" ... "Strongly agree".
const std::vector<std::string>& default_agree_anchors();

// .json / .jsonl with fields id, text, trait, facet?, key (1 or -1),
// scale_points? (default: the number of anchors, else 5), anchors? (a list;
// default 5-point agree anchors, allowed only for 5 points), source?.
std::vector<LikertItem> load_likert_json(const std::string& path);
// CSV with a header row naming the columns id,text,trait,facet,key,
// scale_points,anchors,source (any order; facet, scale_points, anchors and
// source may be left out); anchors separated by '|'; RFC 4180 quoting.
std::vector<LikertItem> load_likert_csv(const std::string& path);
// By extension.
std::vector<LikertItem> load_likert_file(const std::string& path);

void check_unique_likert_ids(const std::vector<LikertItem>& items);

}  // namespace traitlab
