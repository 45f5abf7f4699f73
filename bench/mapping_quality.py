"""How well ablated parts are mapped onto config keys: hand-labelled cases on five configs.

Run: ``.venv/bin/python bench/mapping_quality.py``; prints figures and writes
bench/results/mapping_quality.json. The configs and labels were written for this benchmark
(a self-distillation model, a Transformer language model, a PPO agent: the development set the
matching rules were tuned on; a GNN and a diffusion model: held out, written afterwards); each
case names the key a person would edit, or None when the config has no such key (the part must
stay unmapped).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import write_results  # noqa: E402

from ablab.export import map_plan, read_config  # noqa: E402
from ablab.schema import Ablation, Action, Mode, Plan  # noqa: E402

CONFIGS = {
    "ssl": """
model:
  backbone: vit_small
  cvcm: {enabled: true}
  prototype_memory: {enabled: true, size: 4096, momentum: 0.99}
  token_gate: {enabled: true, sparsity_weight: 0.01}
  projection_head: {layers: 3, hidden_dim: 2048}
  teacher_temp: 0.04
  student_temp: 0.07
  ema_momentum: 0.996
loss: {divergence: kl, proto_loss_weight: 0.5}
optim: {lr: 0.0003, weight_decay: 0.05, batch_size: 256, epochs: 100}
""",
    "lm": """
model:
  n_layers: 12
  d_model: 768
  n_heads: 12
  norm: layernorm
  activation: gelu
  positional_encoding: rotary
  dropout: 0.1
  tie_embeddings: true
train: {lr: 0.0006, warmup_steps: 2000, label_smoothing: 0.1, grad_clip: 1.0}
""",
    "ppo": """
agent:
  clip_range: 0.2
  gae_lambda: 0.95
  gamma: 0.99
  entropy_coef: 0.01
  value_loss_coef: 0.5
  normalize_advantage: true
  n_epochs: 10
env: {n_envs: 8, frame_stack: 4}
""",
}
# Written after the rules were last changed, and not used to change them: a held-out check.
HELD_OUT_CONFIGS = {
    "gnn": """
model:
  num_layers: 4
  hidden_channels: 256
  aggregation: mean
  use_residual: true
  jumping_knowledge: cat
  edge_dropout: 0.2
  readout: sum
  virtual_node: false
train: {lr: 0.001, epochs: 300, weight_decay: 0.0005}
""",
    "diffusion": """
unet:
  channel_mult: [1, 2, 4]
  attention_resolutions: [16, 8]
  use_scale_shift_norm: true
  dropout: 0.1
diffusion:
  timesteps: 1000
  noise_schedule: cosine
  parameterization: eps
  classifier_free_guidance: {enabled: true, scale: 3.0, drop_prob: 0.1}
ema: {decay: 0.9999}
""",
}

R, X, A = Action.REPLACE, Action.REMOVE, Action.ADD
CASES: list[Case] = [
    ("ssl", "Cross-View Consistency Module (CVCM)", X, None, "model.cvcm.enabled"),
    ("ssl", "Adaptive Prototype Memory", X, None, "model.prototype_memory.enabled"),
    ("ssl", "Token Relevance Gate", X, None, "model.token_gate.enabled"),
    ("ssl", "teacher temperature τ_t", R, ["τ_t = 0.02"], "model.teacher_temp"),
    ("ssl", "student temperature τ", R, ["τ = 0.1"], "model.student_temp"),
    ("ssl", "KL divergence used in the consistency loss", R, ["JS divergence"], "loss.divergence"),
    ("ssl", "weight λ of the prototype separation loss", R, ["λ = 1.0"], "loss.proto_loss_weight"),
    ("ssl", "momentum of the EMA teacher", R, ["0.99"], "model.ema_momentum"),
    ("ssl", "number of layers of the projection head", R, ["2"], "model.projection_head.layers"),
    ("ssl", "sparsity regularizer on the gate values", X, None, "model.token_gate.sparsity_weight"),
    ("ssl", "Elastic View Scheduler", X, None, None),
    ("ssl", "multi-crop augmentation", X, None, None),
    ("lm", "rotary positional encoding", R, ["learned absolute"], "model.positional_encoding"),
    ("lm", "layer normalization", R, ["RMSNorm"], "model.norm"),
    ("lm", "GELU activation", R, ["ReLU"], "model.activation"),
    ("lm", "number of attention heads", R, ["8", "16"], "model.n_heads"),
    ("lm", "label smoothing", X, None, "train.label_smoothing"),
    ("lm", "weight tying between input and output embeddings", X, None, "model.tie_embeddings"),
    ("lm", "learning-rate warm-up", X, None, "train.warmup_steps"),
    ("lm", "mixture-of-experts layers", A, ["MoE feed-forward"], None),
    ("ppo", "clipped surrogate objective (clip range ε)", R, ["ε = 0.1"], "agent.clip_range"),
    ("ppo", "GAE λ", R, ["λ = 0.9"], "agent.gae_lambda"),
    ("ppo", "entropy bonus", X, None, "agent.entropy_coef"),
    ("ppo", "advantage normalization", X, None, "agent.normalize_advantage"),
    ("ppo", "frame stacking", X, None, "env.frame_stack"),
    ("ppo", "recurrent policy (LSTM)", A, ["LSTM policy"], None),
]
HELD_OUT_CASES: list[Case] = [
    ("gnn", "residual connections between GNN layers", X, None, "model.use_residual"),
    ("gnn", "mean aggregation", R, ["sum", "max"], "model.aggregation"),
    ("gnn", "jumping knowledge", X, None, "model.jumping_knowledge"),
    ("gnn", "DropEdge (edge dropout)", X, None, "model.edge_dropout"),
    ("gnn", "number of message-passing layers", R, ["2", "8"], "model.num_layers"),
    ("gnn", "virtual node", A, ["virtual node"], "model.virtual_node"),
    ("gnn", "graph attention", A, ["GAT layers"], None),
    ("diffusion", "cosine noise schedule", R, ["linear"], "diffusion.noise_schedule"),
    (
        "diffusion",
        "classifier-free guidance",
        X,
        None,
        "diffusion.classifier_free_guidance.enabled",
    ),
    (
        "diffusion",
        "guidance scale w",
        R,
        ["w = 1.5", "w = 7.5"],
        "diffusion.classifier_free_guidance.scale",
    ),
    ("diffusion", "EMA of the model weights", X, None, "ema.decay"),
    ("diffusion", "number of diffusion steps T", R, ["T = 250"], "diffusion.timesteps"),
    ("diffusion", "scale-shift normalization (FiLM)", X, None, "unet.use_scale_shift_norm"),
    ("diffusion", "self-attention at low resolutions", X, None, "unet.attention_resolutions"),
    (
        "diffusion",
        "v-prediction",
        A,
        ["v-prediction parameterization"],
        "diffusion.parameterization",
    ),
    ("diffusion", "perceptual loss", A, ["LPIPS loss"], None),
]


Case = tuple[str, str, Action, list[str] | None, str | None]
"""Config name, ablated part, action, variants, the key a person would edit (or None)."""


def evaluate(configs: dict[str, str], cases: list[Case]) -> dict[str, object]:
    """Map every case, compare with its label."""
    outcomes = {"right": 0, "wrong_key": 0, "missed": 0, "false_mapping": 0, "right_unmapped": 0}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in configs.items():
            path = Path(tmp) / f"{name}.yaml"
            path.write_text(text)
            config = read_config(path)
            chosen = [c for c in cases if c[0] == name]
            items = [
                Ablation(name=f"case {i}", ablated_part=part, action=action, replacement=variants)
                for i, (_, part, action, variants, _) in enumerate(chosen)
            ]
            plan = Plan(paper_id=name, mode=Mode.AUTHOR, planner="x", model="y", ablations=items)
            for case, mapping in zip(chosen, map_plan(plan, config).mappings, strict=True):
                expected = case[4]
                found = mapping.key.path if mapping.key else None
                if expected is None:
                    outcome = "right_unmapped" if found is None else "false_mapping"
                elif found == expected:
                    outcome = "right"
                else:
                    outcome = "missed" if found is None else "wrong_key"
                outcomes[outcome] += 1
                rows.append(
                    {
                        "part": case[1],
                        "expected": expected,
                        "found": found,
                        "score": mapping.score,
                        "outcome": outcome,
                    }
                )
    mapped = outcomes["right"] + outcomes["wrong_key"] + outcomes["false_mapping"]
    labelled = sum(1 for c in cases if c[4] is not None)
    for row in rows:
        if row["outcome"] not in ("right", "right_unmapped"):
            print(f"  {row['outcome']}: {row['part']!r} -> {row['found']} (want {row['expected']})")
    return {
        "cases": len(cases),
        **outcomes,
        "precision": round(outcomes["right"] / mapped, 3) if mapped else None,
        "recall": round(outcomes["right"] / labelled, 3),
        "cases_detail": rows,
    }


def main() -> None:
    """Both sets: the one the rules were developed on, and the held-out one."""
    figures = {
        "development": evaluate(CONFIGS, CASES),
        "held_out": evaluate(HELD_OUT_CONFIGS, HELD_OUT_CASES),
    }
    for name, result in figures.items():
        print(name, {k: v for k, v in result.items() if k != "cases_detail"})
    print(f"wrote {write_results('mapping_quality', figures)}")


if __name__ == "__main__":
    main()
