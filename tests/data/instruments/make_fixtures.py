"""Writes the JSON/JSONL fixtures of tests/data/instruments (the CSV ones are
written by hand). Re-run from this folder: python3 make_fixtures.py"""
import json


def item(idx, pers, para=True, **over):
    d = {"idx": idx, "split": "test", "personality": pers,
         "statement": f"Statement for {idx}.",
         "situation": f"Situation of {idx}: a neighbour asks for help moving a sofa.",
         "query": "What would you do?",
         "response_high1": f"Help at once ({idx} H1).",
         "response_high2": f"Offer to bring friends too ({idx} H2).",
         "response_low1": f"Say you are busy ({idx} L1).",
         "response_low2": f"Suggest hiring movers ({idx} L2)."}
    if para:
        d["paraphrased_situation"] = f"Paraphrase of {idx}: your neighbour needs a hand with a sofa."
        d["paraphrased_query"] = "How would you respond?"
    d.update(over)
    return {k: v for k, v in d.items() if v is not None}


def without(d, key):
    return {k: v for k, v in d.items() if k != key}


def jsonl(name, rows, blank_after=None):
    with open(name, "w") as f:
        for i, r in enumerate(rows):
            f.write((r if isinstance(r, str) else json.dumps(r)) + "\n")
            if blank_after is not None and i == blank_after:
                f.write("\n")


# Good: mixed spellings of the trait, one without paraphrase, an integer idx,
# a blank line, and an id reused under another trait (identity is trait + id).
good = [item("X-1", "agreeableness"), item("X-2", "Agreeableness", para=False),
        item("X-3", "NEUROTICISM"), item(7, "Narcissism", facet="grandiosity", source="fixture"),
        item("X-1", "Neuroticism")]
jsonl("scenarios_good.jsonl", good, blank_after=1)
json.dump(good, open("scenarios_good_array.json", "w"), indent=1)
json.dump({"items": good[:2]}, open("scenarios_wrapped.json", "w"), indent=1)
json.dump({"features": [], "rows": [{"row_idx": i, "row": r, "truncated_cells": []}
                                    for i, r in enumerate(good[:3])]},
          open("scenarios_hf_rows.json", "w"))

# Line 7 holds an item with three options.
three = [item(f"X-{i}", "Openness") for i in (1, 2, 30, 4, 5, 6)]
three.append(item("X-3", "Openness", response_low2=None))
jsonl("bad_three_options.jsonl", three)
jsonl("bad_missing_query.jsonl", [item("Q-1", "Openness"), item("Q-2", "Openness", query=None)])
jsonl("bad_empty_situation.jsonl", [item("S-1", "Openness", situation="  ")])
jsonl("bad_unknown_trait.jsonl", [item("T-1", "Honesty")])
jsonl("bad_duplicate.jsonl", [item("D-1", "Openness"), item("D-2", "Openness"),
                              item("D-1", "openness")])
jsonl("bad_half_paraphrase.jsonl", [item("P-1", "Openness", paraphrased_query=None)])
jsonl("bad_json_line.jsonl", [item("J-1", "Openness"), '{"idx": "J-2", "personality": "Openness",'])
jsonl("bad_same_responses.jsonl", [item("R-1", "Openness", response_low2="Help at once (R-1 H1).")])
jsonl("bad_missing_idx.jsonl", [without(item("I-1", "Openness"), "idx")])
jsonl("bad_wrong_type.jsonl", [item("W-1", "Openness", query=42)])
open("empty.jsonl", "w").write("\n\n")
json.dump([item("A-1", "Openness"), {"idx": "A-2", "personality": "Openness"}],
          open("bad_array_item.json", "w"), indent=1)
json.dump({"questions": []}, open("bad_wrapper.json", "w"))
json.dump([{"id": "u-1", "question": "?"}], open("unknown_kind.json", "w"))

A5 = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
lk = [
    {"id": "lk-1", "text": "I like parties.", "trait": "Extraversion", "facet": "gregariousness",
     "key": 1, "scale_points": 5, "anchors": A5, "source": "fixture"},
    {"id": "lk-2", "text": "I avoid crowds.", "trait": "e", "key": -1},
    {"id": "lk-3", "text": "I plan ahead.", "trait": "C", "key": 1, "scale_points": 7,
     "anchors": ["1", "2", "3", "4", "5", "6", "7"]},
    {"id": "lk-4", "text": "People are tools.", "trait": "M", "key": 1, "anchors": ["No", "Yes"]},
]
jsonl("likert_good.jsonl", lk)
jsonl("likert_bad_anchor_count.jsonl", [dict(lk[0], scale_points=4)])
jsonl("likert_bad_scale.jsonl", [dict(lk[1], scale_points=12)])
jsonl("likert_bad_key.jsonl", [dict(lk[1], key=2)])
jsonl("likert_missing_anchors.jsonl", [dict(lk[1], scale_points=7)])
jsonl("likert_duplicate.jsonl", [lk[0], lk[1], dict(lk[2], id="lk-1")])
jsonl("likert_missing_text.jsonl", [lk[0], without(lk[1], "text")])
