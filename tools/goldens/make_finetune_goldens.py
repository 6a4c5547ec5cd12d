#!/usr/bin/env python3
"""Goldens for traitlab's fine-tuning layer (finetune/), from TRL and PEFT.

Run from the repository root:
    /work/venv/bin/python tools/goldens/make_finetune_goldens.py
    /work/venv/bin/python tools/goldens/make_finetune_goldens.py --peft-check
The first form writes the data sets and the TRL/PEFT/torch goldens; the
second loads the adapter that traitlab saved (tests/data/finetune/
traitlab_adapter/, written by the C++ test PeftIo.WriteTraitlabAdapterForPeft
when TRAITLAB_WRITE_GOLDENS=1) with `peft` and records the logits peft gets
from it.

Everything runs on CPU in float32 on tests/data/models/llama_tok (llama
family with a tokenizer and a llama3-style chat template).

What each golden is (all in tests/data/finetune/goldens.json unless noted):
  sft_pc        TRL SFTTrainer's prepared rows (input_ids, labels) for
                sft_pc.jsonl (conversational prompt-completion,
                completion_only_loss default).
  sft_messages  the same for sft_messages.jsonl ("messages" rows, TRL's
                default: loss on every token).
  sft_assistant apply_chat_template(return_assistant_tokens_mask=True)
                with a {% generation %}-tagged copy of the template
                (TRL's assistant_only_loss) for sft_messages.jsonl.
  sft_train     SFTTrainer full fine-tuning: batch 1, grad accumulation 2,
                3 steps, AdamW (adamw_torch), linear schedule, clipping 1.0,
                weight decay 0.01; the loss of every micro-batch and the
                final weights (sft_final.safetensors).
  dpo           DPOTrainer with a PEFT LoRA adapter (r 4, alpha 8, q_proj and
                v_proj, dropout 0, B initialised non-zero; TRL then keeps a
                frozen copy of the initial adapter as the reference); the initial adapter is
                dpo_init_adapter/, per step the policy/reference log-probs and
                loss, final adapter weights dpo_final_adapter.safetensors.
  adamw         torch.optim.AdamW for 3 steps on a [3,4] tensor with given
                gradients.
  schedules     transformers' linear and cosine schedules with warmup.
  clip          torch.nn.utils.clip_grad_norm_ on given gradients.
"""
import argparse
import json
import os
import shutil
import sys

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL_DIR = os.path.join(ROOT, "tests/data/models/llama_tok")
OUT = os.path.join(ROOT, "tests/data/finetune")
FORMAT_VERSION = 1
SEED = 1234


def versions():
    import peft
    import transformers
    import trl

    return {
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "trl": trl.__version__,
        "peft": peft.__version__,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "seed": SEED,
        "format_version": FORMAT_VERSION,
    }


def write_jsonl(path, rows):
    with open(path, "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")


def m(role, content):
    return {"role": role, "content": content}


SFT_PC = [
    {"prompt": [m("user", "Describe a quiet evening.")],
     "completion": [m("assistant", "I read a book and drink tea by the window.")]},
    {"prompt": [m("system", "You are outgoing."), m("user", "What do you do on weekends?")],
     "completion": [m("assistant", "I meet friends and go dancing!")]},
    {"prompt": [m("user", "Plan a trip.")],
     "completion": [m("assistant", "First the map, then the train tickets.")]},
    {"prompt": [m("user", "How do you handle stress?")],
     "completion": [m("assistant", "I make a list and take one step at a time.")]},
]

SFT_MESSAGES = [
    {"messages": [m("user", "Hi there"), m("assistant", "Hello! How can I help?")]},
    {"messages": [m("system", "Be brief."), m("user", "Name a color."), m("assistant", "Blue."),
                  m("user", "Another?"), m("assistant", "Green.")]},
]

DPO_ROWS = [
    {"prompt": [m("user", "A friend cancels plans. You say?")],
     "chosen": [m("assistant", "No problem, let us try next week.")],
     "rejected": [m("assistant", "Fine, whatever.")]},
    {"prompt": [m("user", "Someone asks for help moving.")],
     "chosen": [m("assistant", "Sure, I will bring boxes.")],
     "rejected": [m("assistant", "I am busy.")]},
    {"prompt": [m("system", "Answer kindly."), m("user", "Your coworker made a mistake.")],
     "chosen": [m("assistant", "Let us fix it together.")],
     "rejected": [m("assistant", "That is their problem.")]},
    {"prompt": [m("user", "Describe your ideal day.")],
     "chosen": [m("assistant", "Helping others and laughing a lot.")],
     "rejected": [m("assistant", "Alone, winning at everything.")]},
]


def load_tok_model():
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(MODEL_DIR)
    model = AutoModelForCausalLM.from_pretrained(MODEL_DIR, dtype=torch.float32)
    return tok, model


def common_args(cls, out_dir, **kw):
    return cls(
        output_dir=out_dir, use_cpu=True, report_to=[], save_strategy="no", logging_steps=1,
        disable_tqdm=True, dataloader_num_workers=0, bf16=False, fp16=False,
        gradient_checkpointing=False, optim="adamw_torch", train_sampling_strategy="sequential",
        seed=SEED, data_seed=SEED, **kw)


def sft_goldens(tmp):
    from datasets import Dataset
    from trl import SFTConfig, SFTTrainer

    tok, model = load_tok_model()
    out = {}
    # Prepared rows for both data shapes.
    for name, rows in (("sft_pc", SFT_PC), ("sft_messages", SFT_MESSAGES)):
        args = common_args(SFTConfig, tmp, max_steps=1, per_device_train_batch_size=1)
        tr = SFTTrainer(model=model, args=args, train_dataset=Dataset.from_list(rows),
                        processing_class=tok)
        ds = tr.train_dataset
        out[name] = [{"input_ids": ds[i]["input_ids"], "labels": ds[i]["labels"]}
                     for i in range(len(ds))]
    # assistant_only_loss needs a template with {% generation %} blocks around
    # what the assistant says (content and <|eot_id|>).
    tmpl = ("{% for message in messages %}{% if loop.index0 == 0 %}{{ bos_token }}{% endif %}"
            "{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n' }}"
            "{% if message['role'] == 'assistant' %}{% generation %}"
            "{{ message['content'] | trim + '<|eot_id|>' }}{% endgeneration %}"
            "{% else %}{{ message['content'] | trim + '<|eot_id|>' }}{% endif %}{% endfor %}"
            "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}"
            "{% endif %}")
    rows = []
    for r in SFT_MESSAGES:
        plain = tok.apply_chat_template(r["messages"], tokenize=True, return_dict=True)["input_ids"]
        enc = tok.apply_chat_template(r["messages"], chat_template=tmpl, tokenize=True,
                                      return_dict=True, return_assistant_tokens_mask=True)
        assert list(enc["input_ids"]) == list(plain), "generation template renders differently"
        ids = list(enc["input_ids"])
        mask = list(enc["assistant_masks"])
        rows.append({"input_ids": ids,
                     "labels": [t if k else -100 for t, k in zip(ids, mask)]})
    out["sft_assistant"] = rows

    # Training run: record the loss of every micro-batch.
    losses = []

    class Recording(SFTTrainer):
        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            loss = super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
            val = loss[0] if isinstance(loss, tuple) else loss
            losses.append({"loss": float(val.detach()),
                           "num_items_in_batch": None if num_items_in_batch is None
                           else int(num_items_in_batch)})
            return loss

    torch.manual_seed(SEED)
    tok, model = load_tok_model()
    args = common_args(SFTConfig, tmp, max_steps=3, per_device_train_batch_size=1,
                       gradient_accumulation_steps=2, learning_rate=1e-3, weight_decay=0.01,
                       lr_scheduler_type="linear", warmup_steps=0, max_grad_norm=1.0,
                       adam_beta1=0.9, adam_beta2=0.999, adam_epsilon=1e-8)
    tr = Recording(model=model, args=args, train_dataset=Dataset.from_list(SFT_PC),
                   processing_class=tok)
    tr.train()
    from safetensors.torch import save_file

    sd = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    save_file(sd, os.path.join(OUT, "sft_final.safetensors"))
    out["sft_train"] = {
        "data": "sft_pc.jsonl", "max_steps": 3, "batch_size": 1, "grad_accum": 2, "lr": 1e-3,
        "weight_decay": 0.01, "schedule": "linear", "warmup_steps": 0, "max_grad_norm": 1.0,
        "micro_losses": losses,
        "note": "weight decay skips biases and norm weights (transformers get_decay_parameter_names)",
    }
    return out


def dpo_goldens(tmp):
    from datasets import Dataset
    from peft import LoraConfig, get_peft_model
    from trl import DPOConfig, DPOTrainer

    tok, model = load_tok_model()
    torch.manual_seed(SEED)
    cfg = LoraConfig(r=4, lora_alpha=8, lora_dropout=0.0, target_modules=["q_proj", "v_proj"],
                     bias="none", task_type="CAUSAL_LM")
    pm = get_peft_model(model, cfg)
    g = torch.Generator().manual_seed(SEED + 1)
    with torch.no_grad():
        for n, p in pm.named_parameters():
            if "lora_B" in n:
                p.copy_(torch.randn(p.shape, generator=g) * 0.05)
    init_dir = os.path.join(OUT, "dpo_init_adapter")
    shutil.rmtree(init_dir, ignore_errors=True)
    pm.save_pretrained(init_dir)
    # base_model_name_or_path would hold this machine's path; make it relative.
    cfg_path = os.path.join(init_dir, "adapter_config.json")
    with open(cfg_path) as f:
        c = json.load(f)
    c["base_model_name_or_path"] = "tests/data/models/llama_tok"
    with open(cfg_path, "w") as f:
        json.dump(c, f, indent=2, sort_keys=True)
    readme = os.path.join(init_dir, "README.md")
    if os.path.exists(readme):
        os.remove(readme)

    steps = []

    class Recording(DPOTrainer):
        def _compute_loss(self, model, inputs, return_outputs):
            res = super()._compute_loss(model, inputs, return_outputs)
            loss = res[0] if isinstance(res, tuple) else res
            steps.append({"loss": float(loss.detach())})
            return res

        def log(self, logs, *a, **k):
            if "logps/chosen" in logs:
                steps[-1].update({k2: logs[k2] for k2 in logs if "/" in k2 or k2 == "loss"})
            return super().log(logs, *a, **k)

    args = common_args(DPOConfig, tmp, max_steps=3, per_device_train_batch_size=2,
                       gradient_accumulation_steps=1, learning_rate=1e-2, weight_decay=0.0,
                       lr_scheduler_type="constant", warmup_steps=0, max_grad_norm=1.0, beta=0.1)
    tr = Recording(model=pm, args=args, train_dataset=Dataset.from_list(DPO_ROWS),
                   processing_class=tok)
    ds = tr.train_dataset
    rows = [{"prompt_ids": ds[i]["prompt_ids"], "chosen_ids": ds[i]["chosen_ids"],
             "rejected_ids": ds[i]["rejected_ids"]} for i in range(len(ds))]

    # Step-0 per-sequence log-probs, computed directly (policy and reference).
    def seq_logps(model, prompt, comp):
        ids = torch.tensor([prompt + comp])
        with torch.no_grad():
            logits = model(input_ids=ids).logits.float()
        lp = torch.log_softmax(logits[0, :-1], -1).gather(-1, ids[0, 1:, None])[:, 0]
        return float(lp[len(prompt) - 1:].sum())

    first = []
    for r in rows[:2]:
        e = {}
        for side in ("chosen", "rejected"):
            e["policy_" + side] = seq_logps(pm, r["prompt_ids"], r[side + "_ids"])
            with pm.disable_adapter():
                e["base_" + side] = seq_logps(pm, r["prompt_ids"], r[side + "_ids"])
        first.append(e)
    tr.train()
    from safetensors.torch import save_file

    lora = {k: v.detach().contiguous() for k, v in pm.state_dict().items() if "lora_" in k}
    save_file(lora, os.path.join(OUT, "dpo_final_adapter.safetensors"))
    return {"dpo": {
        "data": "dpo.jsonl", "max_steps": 3, "batch_size": 2, "grad_accum": 1, "lr": 1e-2,
        "weight_decay": 0.0, "schedule": "constant", "max_grad_norm": 1.0, "beta": 0.1,
        "lora": {"r": 4, "alpha": 8, "targets": ["q_proj", "v_proj"]},
        "rows": rows, "first_batch_logps": first, "steps": steps,
        "note": ("state_dict keys of dpo_final_adapter.safetensors carry PEFT's '.default' adapter "
                 "name. TRL 1.16 copies a pre-existing adapter to a frozen 'ref' adapter, so the "
                 "reference is the initial adapter (policy at step 0), not the base; base_* are the "
                 "log-probs with adapters disabled."),
    }}


def optim_goldens():
    g = torch.Generator().manual_seed(SEED + 2)
    p0 = torch.randn(3, 4, generator=g)
    grads = [torch.randn(3, 4, generator=g) for _ in range(3)]
    p = torch.nn.Parameter(p0.clone())
    opt = torch.optim.AdamW([p], lr=0.01, betas=(0.9, 0.99), eps=1e-6, weight_decay=0.1)
    for gr in grads:
        p.grad = gr.clone()
        opt.step()
    st = opt.state[p]
    from transformers import get_cosine_schedule_with_warmup, get_linear_schedule_with_warmup

    def lrs(fn):
        q = torch.nn.Parameter(torch.zeros(1))
        o = torch.optim.SGD([q], lr=1.0)
        s = fn(o, num_warmup_steps=2, num_training_steps=10)
        out = []
        for _ in range(12):
            out.append(s.get_last_lr()[0])
            o.step()
            s.step()
        return out

    cg = [torch.randn(2, 3, generator=g) * 3, torch.randn(5, generator=g)]
    cp = [torch.nn.Parameter(torch.zeros_like(x)) for x in cg]
    for q, x in zip(cp, cg):
        q.grad = x.clone()
    norm = torch.nn.utils.clip_grad_norm_(cp, 1.0)
    return {
        "adamw": {"lr": 0.01, "beta1": 0.9, "beta2": 0.99, "eps": 1e-6, "weight_decay": 0.1,
                  "param0": p0.tolist(), "grads": [x.tolist() for x in grads],
                  "param3": p.detach().tolist(), "exp_avg": st["exp_avg"].tolist(),
                  "exp_avg_sq": st["exp_avg_sq"].tolist()},
        "schedules": {"warmup": 2, "total": 10, "linear": lrs(get_linear_schedule_with_warmup),
                      "cosine": lrs(get_cosine_schedule_with_warmup)},
        "clip": {"max_norm": 1.0, "grads": [x.tolist() for x in cg], "total_norm": float(norm),
                 "clipped": [q.grad.tolist() for q in cp]},
    }


def peft_check():
    """Logits peft computes from traitlab's saved adapter."""
    from peft import PeftModel
    from safetensors.torch import save_file

    _, model = load_tok_model()
    ad = os.path.join(OUT, "traitlab_adapter")
    pm = PeftModel.from_pretrained(model, ad)
    pm.eval()
    ids = torch.tensor([[700, 5, 17, 99, 300, 42, 7, 650, 3, 120]])
    with torch.no_grad():
        logits = pm(input_ids=ids).logits.float()
        merged = pm.merge_and_unload()
        merged_logits = merged(input_ids=ids).logits.float()
    save_file({"input_ids": ids, "logits": logits.contiguous(),
               "merged_logits": merged_logits.contiguous()},
              os.path.join(OUT, "peft_logits.safetensors"),
              metadata={"versions": json.dumps(versions())})
    print("wrote peft_logits.safetensors; max |logits - merged| =",
          float((logits - merged_logits).abs().max()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peft-check", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    if a.peft_check:
        peft_check()
        return
    write_jsonl(os.path.join(OUT, "sft_pc.jsonl"), SFT_PC)
    write_jsonl(os.path.join(OUT, "sft_messages.jsonl"), SFT_MESSAGES)
    write_jsonl(os.path.join(OUT, "dpo.jsonl"), DPO_ROWS)
    tmp = os.path.join("/tmp", "traitlab_ft_goldens")
    g = {"versions": versions(), "model": "tests/data/models/llama_tok",
         "regenerate": "/work/venv/bin/python tools/goldens/make_finetune_goldens.py"}
    g.update(sft_goldens(tmp))
    g.update(dpo_goldens(tmp))
    g.update(optim_goldens())
    with open(os.path.join(OUT, "goldens.json"), "w") as f:
        json.dump(g, f, indent=1)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
