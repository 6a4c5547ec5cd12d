#!/usr/bin/env python3
"""The Python side of bench/run_finetune_bench.sh: LoRA SFT and DPO steps
with TRL + PEFT on the same model, data, batch size, LoRA config and thread
count as bench/bench_finetune.cpp.

  bench_finetune_trl.py make-model OUT_DIR      random-weight llama (~20M params), llama_tok's tokenizer
  bench_finetune_trl.py make-data OUT_DIR ROWS  sft.jsonl and dpo.jsonl, conversational rows
  bench_finetune_trl.py run MODEL DATA sft|dpo STEPS BATCH THREADS

`run` prints one JSON object like the C++ bench: per-step seconds (from a
TrainerCallback, on_step_begin to on_step_end), the median after the first
step, tokens per step (from the trainer's own tokenised rows, sequential
order), tokens/s at the median, and peak RSS (getrusage).
"""
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOK_DIR = os.path.join(ROOT, "tests", "data", "models", "llama_tok")

WORDS = ("friend plans weekend window tea book map train help boxes quiet evening stress "
         "walk music garden letter coffee rain market city river song dinner").split()


def make_model(out):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    with open(os.path.join(TOK_DIR, "config.json")) as f:
        c = json.load(f)
    c.update(hidden_size=512, intermediate_size=1376, num_hidden_layers=6,
             num_attention_heads=8, num_key_value_heads=8, head_dim=64)
    torch.manual_seed(0)
    model = LlamaForCausalLM(LlamaConfig(**c))
    model.save_pretrained(out, safe_serialization=True)
    for f in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(os.path.join(TOK_DIR, f), os.path.join(out, f))
    n = sum(p.numel() for p in model.parameters())
    print(json.dumps({"params": n}))


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)) + "."


def make_data(out, rows):
    import random

    rng = random.Random(0)
    os.makedirs(out, exist_ok=True)
    m = lambda role, content: {"role": role, "content": content}
    with open(os.path.join(out, "sft.jsonl"), "w") as f:
        for _ in range(rows):
            f.write(json.dumps({"prompt": [m("user", sentence(rng, 15))],
                                "completion": [m("assistant", sentence(rng, 25))]}) + "\n")
    with open(os.path.join(out, "dpo.jsonl"), "w") as f:
        for _ in range(rows):
            f.write(json.dumps({"prompt": [m("user", sentence(rng, 15))],
                                "chosen": [m("assistant", sentence(rng, 12))],
                                "rejected": [m("assistant", sentence(rng, 12))]}) + "\n")


def run(model_dir, data, method, steps, batch, threads):
    import torch

    torch.set_num_threads(threads)
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, AutoTokenizer, TrainerCallback
    from trl import DPOConfig, DPOTrainer, SFTConfig, SFTTrainer
    import trl, peft

    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    with open(data) as f:
        rows = [json.loads(l) for l in f]
    lora = LoraConfig(r=8, lora_alpha=16, lora_dropout=0.0,
                      target_modules=["q_proj", "k_proj", "v_proj", "o_proj"], bias="none",
                      task_type="CAUSAL_LM")
    times = []

    class Clock(TrainerCallback):
        def on_step_begin(self, args, state, control, **kw):
            self.t0 = time.perf_counter()

        def on_step_end(self, args, state, control, **kw):
            times.append(time.perf_counter() - self.t0)

    tmp = tempfile.mkdtemp()
    common = dict(output_dir=tmp, use_cpu=True, report_to=[], save_strategy="no",
                  logging_steps=10**9, disable_tqdm=True, dataloader_num_workers=0, bf16=False,
                  fp16=False, gradient_checkpointing=False, optim="adamw_torch",
                  train_sampling_strategy="sequential", seed=42, max_steps=steps,
                  per_device_train_batch_size=batch, learning_rate=1e-4, max_length=1024)
    if method == "sft":
        tr = SFTTrainer(model=model, args=SFTConfig(**common), train_dataset=Dataset.from_list(rows),
                        processing_class=tok, peft_config=lora, callbacks=[Clock()])
        ds = tr.train_dataset
        lens = [len(ds[i]["input_ids"]) for i in range(len(ds))]
    else:
        tr = DPOTrainer(model=model, args=DPOConfig(beta=0.1, **common),
                        train_dataset=Dataset.from_list(rows), processing_class=tok,
                        peft_config=lora, callbacks=[Clock()])
        ds = tr.train_dataset
        lens = [2 * len(ds[i]["prompt_ids"]) + len(ds[i]["chosen_ids"]) + len(ds[i]["rejected_ids"])
                for i in range(len(ds))]
    tr.train()
    shutil.rmtree(tmp, ignore_errors=True)
    after = times[1:]
    tok_per_step = sum(lens[batch:steps * batch]) / max(len(after), 1)
    med = statistics.median(after)
    print(json.dumps({"runner": "trl", "method": method, "threads": threads, "batch": batch,
                      "steps": steps, "step_seconds": times, "median_step_s": med,
                      "tokens_per_step": tok_per_step, "tokens_per_s": tok_per_step / med,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
                      "trl": trl.__version__, "peft": peft.__version__,
                      "torch": torch.__version__}))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "make-model":
        make_model(sys.argv[2])
    elif cmd == "make-data":
        make_data(sys.argv[2], int(sys.argv[3]))
    elif cmd == "run":
        run(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]),
            int(sys.argv[7]))
    else:
        sys.exit(f"unknown command {cmd}")
