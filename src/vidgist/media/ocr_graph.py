"""The PP-OCR ONNX models with their chains of elementwise ops folded, so ONNX Runtime runs fewer passes.

``fold_model(src, dst) -> dict[str, int]`` writes a rewritten copy of the ONNX model ``src`` to ``dst`` and
returns how many of each rewrite it made. The PaddlePaddle exporter writes every hardswish as four ops
(``Add 3, Clip 0..6, Mul x, Div 6``) and every learnable affine block as ``Mul scalar, Add scalar``; ONNX
Runtime (1.17-1.20, ``ORT_ENABLE_ALL``) fuses neither, and in the text detector at 448x256 these
elementwise passes take about half the time of the whole model. Three rewrites, each exact in real
arithmetic (float32 rounding differs in the last bits):

- ``Conv -> Mul c -> Add d`` (``c``, ``d`` scalars or per-output-channel constants) becomes one ``Conv``
  with weights ``W * c`` and bias ``b * c + d``;
- ``Add 3 -> Clip 0..6 -> Mul x -> Div 6`` becomes ``x * HardSigmoid(x)`` (alpha 1/6, beta 1/2), two ops,
  and the model keeps its opset;
- ``Mul c -> Add d -> Conv`` (scalar ``c``, ``d``; the convolution without padding, so no border sees the
  zero padding instead of ``d``; one consumer) becomes one ``Conv`` with weights ``W * c`` and bias
  ``b + d * sum(W)`` over each output's inputs.

Graph outputs and tensors read by more than one node are never folded away. Metadata (the recogniser's
character list) is kept.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from vidgist.util.atomic import atomic_path

#: changes whenever the rewrites change, so cached copies made by older rules are not used
FOLD_VERSION = 1
DEAD = "vidgist.folded"  # the op type a folded-away node is marked with until it is removed


class _Graph:
    """The nodes of one ONNX graph with the lookups the rewrites need."""

    def __init__(self, model: Any) -> None:
        from onnx import numpy_helper

        self.model = model
        self.g = model.graph
        self.const: dict[str, np.ndarray] = {}
        for n in self.g.node:
            if n.op_type == "Constant" and n.attribute and n.attribute[0].name == "value":
                self.const[n.output[0]] = numpy_helper.to_array(n.attribute[0].t)
        for init in self.g.initializer:
            self.const[init.name] = numpy_helper.to_array(init)
        self.outputs = {o.name for o in self.g.output}
        self.refresh()

    def drop(self, *nodes: Any) -> None:
        """Mark ``nodes`` folded away (removed by ``_drop_unused``; protobuf wrappers have no stable id)."""
        for n in nodes:
            n.op_type = DEAD

    def refresh(self) -> None:
        self.users: dict[str, list[Any]] = defaultdict(list)
        self.maker: dict[str, Any] = {}
        for n in self.g.node:
            if n.op_type == DEAD:
                continue
            for i in n.input:
                self.users[i].append(n)
            for o in n.output:
                self.maker[o] = n

    def only_user(self, name: str, op: str) -> Any | None:
        """The single node reading ``name`` when it is an ``op`` and ``name`` is no graph output."""
        users = self.users.get(name, [])
        if len(users) != 1 or users[0].op_type != op or name in self.outputs:
            return None
        return users[0]

    def const_of(self, node: Any, other: str) -> tuple[np.ndarray | None, str | None]:
        """(constant operand, the other operand) of a binary elementwise node; (None, None) if neither."""
        a, b = node.input[0], node.input[1]
        if b in self.const and a == other:
            return self.const[b], a
        if a in self.const and b == other:
            return self.const[a], b
        return None, None

    def new_const(self, name: str, value: np.ndarray) -> str:
        from onnx import numpy_helper

        self.g.initializer.append(numpy_helper.from_array(value.astype(np.float32), name))
        self.const[name] = value
        return name


def _per_channel(value: np.ndarray, channels: int) -> np.ndarray | None:
    """``value`` (a scalar or one per output channel, as ``Mul``/``Add`` broadcast it on NCHW) as a
    vector of ``channels``; None when it broadcasts any other way."""
    v = np.asarray(value, dtype=np.float32)
    if v.size == 1:
        return np.full(channels, float(v.reshape(-1)[0]), np.float32)
    if v.size == channels and v.ndim >= 3 and v.shape[-1] == 1 and v.shape[-2] == 1:
        return v.reshape(-1)
    return None


def _conv_params(gr: _Graph, conv: Any) -> tuple[np.ndarray, np.ndarray] | None:
    w = gr.const.get(conv.input[1])
    if w is None:
        return None
    b = gr.const.get(conv.input[2]) if len(conv.input) > 2 else np.zeros(w.shape[0], np.float32)
    return (w, b) if b is not None else None


def _set_conv(gr: _Graph, conv: Any, w: np.ndarray, b: np.ndarray) -> None:
    base = conv.output[0]
    conv.input[1] = gr.new_const(f"{base}.folded_w", w)
    if len(conv.input) > 2:
        conv.input[2] = gr.new_const(f"{base}.folded_b", b)
    else:
        conv.input.append(gr.new_const(f"{base}.folded_b", b))


def _fold_affine_after_conv(gr: _Graph, conv: Any) -> bool:
    """``Conv -> Mul c -> Add d`` into the Conv (module docstring)."""
    params = _conv_params(gr, conv)
    mul = gr.only_user(conv.output[0], "Mul")
    if params is None or mul is None:
        return False
    add = gr.only_user(mul.output[0], "Add")
    c, _ = gr.const_of(mul, conv.output[0])
    d, _ = gr.const_of(add, mul.output[0]) if add is not None else (None, None)
    w, b = params
    cv = _per_channel(c, w.shape[0]) if c is not None else None
    dv = _per_channel(d, w.shape[0]) if d is not None else None
    if add is None or cv is None or dv is None:
        return False
    _set_conv(gr, conv, w * cv.reshape(-1, *([1] * (w.ndim - 1))), b * cv + dv)
    conv.output[0] = add.output[0]
    gr.drop(mul, add)
    return True


def _scalar(value: np.ndarray | None, expected: float | None = None) -> float | None:
    if value is None or np.asarray(value).size != 1:
        return None
    v = float(np.asarray(value).reshape(-1)[0])
    return v if expected is None or abs(v - expected) < 1e-6 else None


def _fold_hardswish(gr: _Graph, add: Any) -> bool:
    """``x -> Add 3 -> Clip 0..6 -> Mul x -> Div 6`` into ``x * HardSigmoid(x)`` (module docstring)."""
    from onnx import helper

    three, x = gr.const_of(add, add.input[0] if add.input[0] not in gr.const else add.input[1])
    clip = gr.only_user(add.output[0], "Clip")
    if x is None or _scalar(three, 3.0) is None or clip is None or len(clip.input) < 3:
        return False
    lo, hi = gr.const.get(clip.input[1]), gr.const.get(clip.input[2])
    mul = gr.only_user(clip.output[0], "Mul")
    if _scalar(lo, 0.0) is None or _scalar(hi, 6.0) is None or mul is None or x not in mul.input:
        return False
    div = gr.only_user(mul.output[0], "Div")
    if div is None or div.input[0] != mul.output[0] or _scalar(gr.const.get(div.input[1]), 6.0) is None:
        return False
    gate = f"{div.output[0]}.gate"
    add.CopyFrom(helper.make_node("HardSigmoid", [x], [gate], alpha=1.0 / 6.0, beta=0.5))
    mul.CopyFrom(helper.make_node("Mul", [x, gate], [div.output[0]]))
    gr.drop(clip, div)
    return True


def _fold_affine_before_conv(gr: _Graph, mul: Any) -> bool:
    """``Mul c -> Add d -> Conv`` (scalars, no padding) into the Conv (module docstring)."""
    c, x = gr.const_of(mul, mul.input[0] if mul.input[0] not in gr.const else mul.input[1])
    add = gr.only_user(mul.output[0], "Add")
    if x is None or _scalar(c) is None or add is None:
        return False
    d, _ = gr.const_of(add, mul.output[0])
    conv = gr.only_user(add.output[0], "Conv")
    if _scalar(d) is None or conv is None or conv.input[0] != add.output[0]:
        return False
    pads = [a for a in conv.attribute if a.name in ("pads", "auto_pad")]
    if any(a.name == "auto_pad" and a.s not in (b"", b"NOTSET", b"VALID") for a in pads):
        return False
    if any(a.name == "pads" and any(p != 0 for p in a.ints) for a in pads):
        return False
    params = _conv_params(gr, conv)
    if params is None:
        return False
    w, b = params
    cs, ds = float(_scalar(c) or 0.0), float(_scalar(d) or 0.0)
    _set_conv(gr, conv, w * cs, b + ds * w.reshape(w.shape[0], -1).sum(axis=1))
    conv.input[0] = x
    gr.drop(mul, add)
    return True


def _drop_unused(gr: _Graph) -> None:
    """Remove the folded nodes, and the constants and initializers nothing reads any more."""
    keep = [n for n in gr.g.node if n.op_type != DEAD]
    read = {i for n in keep for i in n.input} | gr.outputs
    keep = [n for n in keep if n.op_type != "Constant" or n.output[0] in read]
    del gr.g.node[:]
    gr.g.node.extend(keep)
    inits = [t for t in gr.g.initializer if t.name in read]
    del gr.g.initializer[:]
    gr.g.initializer.extend(inits)


def folded_copy(src: Path, cache: Path) -> Path:
    """``src`` folded (``fold_model``), made once and kept in ``cache`` under a name that changes with the
    source file and the rewrites; ``src`` itself when ``onnx`` is missing or the rewrite fails."""
    import hashlib

    digest = hashlib.sha256(src.read_bytes()).hexdigest()[:16]
    dst = cache / f"{src.stem}.{digest}.folded{FOLD_VERSION}.onnx"
    if dst.exists():
        return dst
    try:
        cache.mkdir(parents=True, exist_ok=True)
        with atomic_path(dst) as tmp:
            fold_model(src, tmp)
    except Exception:  # noqa: BLE001 - no onnx, a model these rewrites do not fit, a read-only cache
        return src
    return dst


def fold_model(src: Path, dst: Path) -> dict[str, int]:
    """Write ``src`` with its elementwise chains folded to ``dst``; the count of each rewrite."""
    import onnx

    model = onnx.load(str(src))
    gr = _Graph(model)
    done = {"conv+affine": 0, "hardswish": 0, "affine+conv": 0}
    for key, op, rule in RULES:
        for node in list(gr.g.node):
            if node.op_type == op and rule(gr, node):
                done[key] += 1
                gr.refresh()
    _drop_unused(gr)
    onnx.checker.check_model(model)
    onnx.save(model, str(dst))
    return done


#: the rewrites in the order they run: (name, op type of the chain's first node, rewrite)
RULES: tuple[tuple[str, str, Callable[[_Graph, Any], bool]], ...] = (
    ("conv+affine", "Conv", _fold_affine_after_conv),
    ("hardswish", "Add", _fold_hardswish),
    ("affine+conv", "Mul", _fold_affine_before_conv),
)
