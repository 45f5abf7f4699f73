"""Write a tiny GGUF model for exercising a real llama.cpp-family server (no download needed).

The model is built, not trained: one llama block whose attention and feed-forward outputs are
zero, one-hot token embeddings, and an output matrix that is a table of next-token preferences.
The next token therefore depends only on the last one, and under the server's JSON grammar the
answer comes out as a minimal valid document (every string ``"x"``, arrays of one item, the
first enum value, ``null`` where allowed). It says nothing about plan quality; it lets
``bench/local_server.py`` measure what a real server does with ablab's requests: which
structured-output form it accepts, its errors, its context limit, and the time per paper.
The tokenizer is SentencePiece-style with single characters and byte fallback, so prompts cost
about one token per character (start the server with a large context).

    pip install gguf numpy   # the `gguf` package of the llama.cpp project
    python bench/tiny_gguf.py /tmp/tiny.gguf
"""

from __future__ import annotations

import argparse
import string
from pathlib import Path

CHAT_TEMPLATE = (
    "{% for message in messages %}{{ message['role'] }}: {{ message['content'] }}\n"
    "{% endfor %}assistant: "
)

# Next-token preferences (higher wins among the tokens the grammar allows).
_DEFAULT = {
    '"': 9.0,
    "}": 8.0,
    "]": 7.0,
    "n": 6.0,
    "[": 5.8,
    "R": 5.5,
    "M": 5.0,
    ":": 4.0,
    ",": 3.0,
}
# Inside a string: one "x", then close it; an array gets one item (an object if allowed).
_AFTER = {'"': {"x": 12.0}, "x": {'"': 12.0}, "[": {"{": 12.0, '"': 11.0, "]": -8.0}}
_EOS_SCORE = 2.0
_OTHER_SCORE = -4.0


def build(path: Path, *, context: int = 65536) -> Path:
    """Write the model to ``path``."""
    import gguf
    import numpy as np

    pieces = [chr(c) for c in range(33, 127)] + ["\u2581"]  # printable ASCII and SPM's space
    tokens = ["<unk>", "<s>", "</s>", *[f"<0x{b:02X}>" for b in range(256)], *pieces]
    types = [2, 3, 3, *[6] * 256, *[1] * len(pieces)]
    scores = [0.0, 0.0, 0.0, *[-1000.0] * 256, *[-1.0] * len(pieces)]
    vocab = len(tokens)
    embed = 64 * ((vocab + 63) // 64)
    heads, ffn = embed // 64, 64
    index = {piece: 259 + n for n, piece in enumerate(pieces)}

    table = np.full((vocab, vocab), _OTHER_SCORE, dtype=np.float32)  # [next, last]
    table[2, :] = _EOS_SCORE
    for piece, score in _DEFAULT.items():
        table[index[piece], :] = score
    for last, prefs in _AFTER.items():
        for piece, score in prefs.items():
            table[index[piece], index[last]] = score
    output = np.zeros((vocab, embed), dtype=np.float32)
    output[:, :vocab] = table

    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name("ablab-tiny")
    writer.add_context_length(context)
    writer.add_embedding_length(embed)
    writer.add_block_count(1)
    writer.add_feed_forward_length(ffn)
    writer.add_head_count(heads)
    writer.add_head_count_kv(heads)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_dimension_count(embed // heads)
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    writer.add_unk_token_id(0)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_add_bos_token(True)
    writer.add_chat_template(CHAT_TEMPLATE)

    rng = np.random.default_rng(0)
    writer.add_tensor("token_embd.weight", np.eye(vocab, embed, dtype=np.float32))
    writer.add_tensor("output_norm.weight", np.ones(embed, dtype=np.float32))
    writer.add_tensor("output.weight", output)
    small = 0.02
    writer.add_tensor("blk.0.attn_norm.weight", np.ones(embed, dtype=np.float32))
    for name in ("attn_q", "attn_k", "attn_v"):
        weights = (rng.standard_normal((embed, embed)) * small).astype(np.float32)
        writer.add_tensor(f"blk.0.{name}.weight", weights)
    writer.add_tensor("blk.0.attn_output.weight", np.zeros((embed, embed), dtype=np.float32))
    writer.add_tensor("blk.0.ffn_norm.weight", np.ones(embed, dtype=np.float32))
    for name in ("ffn_gate", "ffn_up"):
        weights = (rng.standard_normal((ffn, embed)) * small).astype(np.float32)
        writer.add_tensor(f"blk.0.{name}.weight", weights)
    writer.add_tensor("blk.0.ffn_down.weight", np.zeros((embed, ffn), dtype=np.float32))

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--context", type=int, default=65536)
    args = parser.parse_args()
    try:
        import gguf  # noqa: F401
    except ImportError:
        print("skipped: the `gguf` package is not installed (pip install gguf numpy)")
        return
    print(f"written {build(args.path, context=args.context)}")


if __name__ == "__main__":
    assert set(_DEFAULT) | {"x"} <= set(string.printable)
    main()
