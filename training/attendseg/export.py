"""Export an AttendSeg-style model to ONNX (opset 13): QDQ int8 (from the QAT model) or float.

    python3 -m attendseg.export --checkpoint ckpt.pt --out model_qdq.onnx [--float-out model_fp32.onnx]

torch.onnx.export produces the raw graph; `postprocess` then rewrites it into the form the engine
(and ONNX Runtime's QDQ fusion) expects:

  (a) per-tensor QuantizeLinear/DequantizeLinear scales and zero points become true scalars
      (torch 1.13 emits 1-element tensors; ONNX Runtime rejects them: "Scale and Zero-point must
      be a scalar");
  (b) constant weights are stored as int8 initializers feeding DequantizeLinear (per channel,
      axis 0, zero point 0); the weight QuantizeLinear is folded away. Convs prepared with a
      narrower weight range (`--weight-qmax`) are traced with their weights clamped to it
      (`quantize.export_weight_range`), and every conv's int8 weights are checked against their
      module's range afterwards;
  (c) Conv biases become int32 initializers at scale s_in * s_w[o] (round half to even) behind
      DequantizeLinear(scale = s_in * s_w, zero point 0, axis 0), so ONNX Runtime fuses QLinearConv;
  (d) Constant nodes become initializers, Identity nodes are removed, Relu -> Clip(0, 6) (how
      relu6 exports) becomes Clip, Pad -> AveragePool (count_include_pad=True) becomes one
      AveragePool(pads, count_include_pad=1), and every "resize to the size of tensor R" is
      rewritten to one canonical pattern (see `_canonical_resize_sizes`);
  (e) metadata_props: class_names, palette, input_width, input_height, void_index, mean, std.

Input contract: NCHW float32 RGB, x = (pixel / 255 - mean) / std, dynamic H and W.
"""
from __future__ import annotations

import argparse
import io
import json
from collections import defaultdict
from typing import Iterable, Sequence

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

from . import camvid
from .quantize import (WEIGHT_QMAX_FULL, export_weight_range, set_fake_quant, set_observers,
                       weight_qranges)

OPSET = 13
INPUT_NAME = "input"
OUTPUT_NAME = "logits"

CAMVID_CLASSES = list(camvid.CLASS_NAMES)
CAMVID_PALETTE = [list(c) for c in camvid.PALETTE]
IMAGENET_MEAN = list(camvid.MEAN)
IMAGENET_STD = list(camvid.STD)


def default_palette(n: int) -> list:
    if n <= len(CAMVID_PALETTE):
        return [list(c) for c in CAMVID_PALETTE[:n]]
    rng = np.random.RandomState(1234)
    return [list(c) for c in CAMVID_PALETTE] + \
        rng.randint(0, 256, size=(n - len(CAMVID_PALETTE), 3)).tolist()


# --------------------------------------------------------------------------------------------
# torch -> raw ONNX
# --------------------------------------------------------------------------------------------

def _torch_export(model: torch.nn.Module, height: int, width: int) -> onnx.ModelProto:
    buf = io.BytesIO()
    x = torch.zeros(1, 3, height, width)
    torch.onnx.export(
        model, x, buf, opset_version=OPSET, input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
        dynamic_axes={INPUT_NAME: {2: "height", 3: "width"}, OUTPUT_NAME: {2: "height", 3: "width"}},
        do_constant_folding=True,
    )
    return onnx.load_from_string(buf.getvalue())


# --------------------------------------------------------------------------------------------
# graph rewriting helpers
# --------------------------------------------------------------------------------------------

class _Graph:
    def __init__(self, model: onnx.ModelProto):
        self.model = model
        self.g = model.graph
        self.inits = {t.name: t for t in self.g.initializer}
        self._uid = 0

    def uid(self, base: str) -> str:
        self._uid += 1
        return f"{base}__{self._uid}"

    def producers(self) -> dict:
        return {o: n for n in self.g.node for o in n.output}

    def consumers(self) -> dict:
        c = defaultdict(list)
        for n in self.g.node:
            for i in n.input:
                if i:
                    c[i].append(n)
        return c

    def array(self, name: str) -> np.ndarray | None:
        t = self.inits.get(name)
        return None if t is None else numpy_helper.to_array(t)

    def add_init(self, arr: np.ndarray, name: str) -> str:
        name = name if name not in self.inits else self.uid(name)
        t = numpy_helper.from_array(arr, name)
        self.g.initializer.append(t)
        self.inits[name] = t
        return name

    def rename_input(self, old: str, new: str) -> None:
        for n in self.g.node:
            for i, v in enumerate(n.input):
                if v == old:
                    n.input[i] = new

    def remove_nodes(self, nodes: Iterable[onnx.NodeProto]) -> None:
        ids = {id(n) for n in nodes}
        keep = [n for n in self.g.node if id(n) not in ids]
        del self.g.node[:]
        self.g.node.extend(keep)

    def prune(self) -> None:
        """Drop nodes whose outputs are unused and initializers nobody reads."""
        outputs = {o.name for o in self.g.output}
        while True:
            used = set(outputs)
            for n in self.g.node:
                used.update(i for i in n.input if i)
            dead = [n for n in self.g.node if not any(o in used for o in n.output)]
            if not dead:
                break
            self.remove_nodes(dead)
        used = set(outputs)
        for n in self.g.node:
            used.update(i for i in n.input if i)
        keep = [t for t in self.g.initializer if t.name in used]
        del self.g.initializer[:]
        self.g.initializer.extend(keep)
        self.inits = {t.name: t for t in keep}
        # Initializers listed as graph inputs (old exporters) go too.
        ins = [i for i in self.g.input if i.name not in self.inits or i.name == INPUT_NAME]
        del self.g.input[:]
        self.g.input.extend(ins)

    def toposort(self) -> None:
        avail = {i.name for i in self.g.input} | set(self.inits) | {""}
        pending = list(self.g.node)
        out = []
        while pending:
            rest = []
            for n in pending:
                if all(i in avail for i in n.input):
                    out.append(n)
                    avail.update(n.output)
                else:
                    rest.append(n)
            if len(rest) == len(pending):
                raise RuntimeError(f"graph has a cycle or a missing input near {rest[0].name}")
            pending = rest
        del self.g.node[:]
        self.g.node.extend(out)


def _attr(node: onnx.NodeProto, name: str, default=None):
    for a in node.attribute:
        if a.name == name:
            return helper.get_attribute_value(a)
    return default


def _round_half_even(x: np.ndarray) -> np.ndarray:
    return np.rint(x)  # numpy rounds half to even


# --------------------------------------------------------------------------------------------
# passes
# --------------------------------------------------------------------------------------------

def _constants_to_initializers(G: _Graph) -> None:
    consts = [n for n in G.g.node if n.op_type == "Constant"]
    for n in consts:
        val = _attr(n, "value")
        if val is None:
            raise RuntimeError(f"Constant {n.name} without a tensor value")
        G.add_init(numpy_helper.to_array(val), n.output[0])
    G.remove_nodes(consts)


def _remove_identities(G: _Graph) -> None:
    graph_outputs = {o.name for o in G.g.output}
    while True:
        ids = [n for n in G.g.node if n.op_type == "Identity"]
        if not ids:
            return
        removed = []
        for n in ids:
            src, dst = n.input[0], n.output[0]
            if dst in graph_outputs:
                prod = G.producers().get(src)
                if prod is None or src in graph_outputs:
                    continue
                # Let the producer write the graph output directly.
                for i, o in enumerate(prod.output):
                    if o == src:
                        prod.output[i] = dst
                G.rename_input(src, dst)
            else:
                G.rename_input(dst, src)
            removed.append(n)
        if not removed:
            return
        G.remove_nodes(removed)


def _shape_sources(G: _Graph, tensor: str) -> list:
    """Inputs of the Shape nodes in the subgraph that computes `tensor`."""
    prod = G.producers()
    seen, stack, found = set(), [tensor], []
    while stack:
        t = stack.pop()
        if t in seen or t in G.inits or not t:
            continue
        seen.add(t)
        n = prod.get(t)
        if n is None:
            continue
        if n.op_type == "Shape":
            found.append(n.input[0])
            continue
        stack.extend(n.input)
    return found


def _canonical_resize_sizes(G: _Graph) -> None:
    """Rewrite every Resize that takes `sizes` computed from shapes into exactly:

        nc    = Slice(Shape(X),   starts=[0], ends=[2], axes=[0])
        hw    = Slice(Shape(REF), starts=[2], ends=[4], axes=[0])
        sizes = Concat(nc, hw, axis=0)
        Y     = Resize(X, roi="", scales="", sizes)

    X is the Resize data input and REF the tensor whose spatial size is copied (a DequantizeLinear
    output, or the float graph input for the final upsampling). Resize by constant scales is left
    as Resize(X, roi="", scales=[1, 1, sh, sw] initializer)."""
    added = []
    for n in list(G.g.node):
        if n.op_type != "Resize":
            continue
        x = n.input[0]
        if len(n.input) > 1 and n.input[1] and n.input[1] not in G.inits:
            raise RuntimeError(f"{n.name}: non-constant roi")
        if len(n.input) > 1:
            n.input[1] = ""
        if len(n.input) > 2 and n.input[2]:
            sc = G.array(n.input[2])
            if sc is None:
                raise RuntimeError(f"{n.name}: non-constant scales")
            if sc.size == 0:
                n.input[2] = ""
        if len(n.input) < 4 or not n.input[3]:
            continue
        sizes = n.input[3]
        if sizes in G.inits:
            continue
        refs = [s for s in _shape_sources(G, sizes) if s != x]
        refs = list(dict.fromkeys(refs))
        if len(refs) != 1:
            raise RuntimeError(f"{n.name}: cannot identify the reference tensor of sizes ({refs})")
        ref = refs[0]
        base = n.name.strip("/").replace("/", "_") or G.uid("resize")
        i0 = G.add_init(np.array([0], np.int64), base + "_start_nc")
        i2 = G.add_init(np.array([2], np.int64), base + "_end_nc")
        j2 = G.add_init(np.array([2], np.int64), base + "_start_hw")
        j4 = G.add_init(np.array([4], np.int64), base + "_end_hw")
        ax = G.add_init(np.array([0], np.int64), base + "_axes")
        sx, sr, nc, hw, sz = (base + s for s in ("_shape_x", "_shape_ref", "_nc", "_hw", "_sizes"))
        new = [
            helper.make_node("Shape", [x], [sx], name=base + "_ShapeX"),
            helper.make_node("Slice", [sx, i0, i2, ax], [nc], name=base + "_SliceNC"),
            helper.make_node("Shape", [ref], [sr], name=base + "_ShapeRef"),
            helper.make_node("Slice", [sr, j2, j4, ax], [hw], name=base + "_SliceHW"),
            helper.make_node("Concat", [nc, hw], [sz], name=base + "_Sizes", axis=0),
        ]
        n.input[3] = sz
        added.extend(new)
    # Appended, not inserted: editing a repeated field while holding node references is unsafe;
    # the final toposort restores a valid order.
    G.g.node.extend(added)


def _fuse_relu_clip(G: _Graph) -> None:
    """F.relu6 exports as Relu -> Clip(0, 6); the Relu is redundant when Clip's min is >= 0."""
    cons = G.consumers()
    dead = []
    for n in G.g.node:
        if n.op_type != "Relu":
            continue
        users = cons.get(n.output[0], [])
        if len(users) != 1 or users[0].op_type != "Clip":
            continue
        clip = users[0]
        lo = G.array(clip.input[1]) if len(clip.input) > 1 and clip.input[1] else None
        if lo is None or float(lo) < 0:
            continue
        clip.input[0] = n.input[0]
        dead.append(n)
    G.remove_nodes(dead)


def _fold_pad_into_avgpool(G: _Graph) -> None:
    """AvgPool2d(count_include_pad=True, padding=p) exports as Pad(zeros) -> AveragePool(pads=0);
    rewrite it as one AveragePool(pads=p, count_include_pad=1) (identical: padded zeros count)."""
    cons = G.consumers()
    prod = G.producers()
    dead = []
    for n in G.g.node:
        if n.op_type != "AveragePool":
            continue
        pad = prod.get(n.input[0])
        if pad is None or pad.op_type != "Pad" or len(cons[pad.output[0]]) != 1:
            continue
        mode = _attr(pad, "mode", b"constant")
        pads = G.array(pad.input[1])
        value = G.array(pad.input[2]) if len(pad.input) > 2 and pad.input[2] else None
        if mode not in (b"constant", "constant") or pads is None or                 (value is not None and float(value) != 0.0):
            continue
        pads = [int(v) for v in pads]
        if len(pads) != 8 or any(pads[i] for i in (0, 1, 4, 5)):
            continue
        old = list(_attr(n, "pads", [0, 0, 0, 0]))
        new_pads = [old[0] + pads[2], old[1] + pads[3], old[2] + pads[6], old[3] + pads[7]]
        keep = [a for a in n.attribute if a.name not in ("pads", "count_include_pad")]
        del n.attribute[:]
        n.attribute.extend(keep)
        n.attribute.extend([helper.make_attribute("pads", new_pads),
                            helper.make_attribute("count_include_pad", 1)])
        n.input[0] = pad.input[0]
        dead.append(pad)
    G.remove_nodes(dead)


def _scalar_qparams(G: _Graph) -> None:
    """Per-tensor Q/DQ (no axis attribute): scale and zero point as 0-d initializers."""
    cache = {}
    for n in G.g.node:
        if n.op_type not in ("QuantizeLinear", "DequantizeLinear") or _attr(n, "axis") is not None:
            continue
        for k in (1, 2):
            if len(n.input) <= k or not n.input[k]:
                continue
            name = n.input[k]
            a = G.array(name)
            if a is None:
                raise RuntimeError(f"{n.name}: non-constant quantization parameter {name}")
            if a.ndim == 0:
                continue
            if a.size != 1:
                raise RuntimeError(f"{n.name}: per-tensor parameter {name} has {a.size} values")
            if name not in cache:
                cache[name] = G.add_init(a.reshape(()), name + "_scalar")
            n.input[k] = cache[name]


def _fold_weight_quant(G: _Graph) -> None:
    """Q(W_float) -> DQ  ==>  DQ(W_int8) with the same (per-channel) scale and zero point."""
    cons = G.consumers()
    dead = []
    for q in list(G.g.node):
        if q.op_type != "QuantizeLinear" or q.input[0] not in G.inits:
            continue
        w = G.array(q.input[0]).astype(np.float32)
        s = G.array(q.input[1]).astype(np.float32)
        zp = G.array(q.input[2])
        axis = _attr(q, "axis", 1)
        if s.ndim == 1 and s.size > 1 or _attr(q, "axis") is not None:
            shape = [1] * w.ndim
            shape[axis] = -1
            s_b, zp_b = s.reshape(shape), zp.astype(np.int64).reshape(shape)
        else:
            s_b, zp_b = s.reshape(()), zp.astype(np.int64).reshape(())
        lo, hi = (-128, 127) if zp.dtype == np.int8 else (0, 255)
        qw = np.clip(_round_half_even(w / s_b) + zp_b, lo, hi).astype(zp.dtype)
        name = G.add_init(qw, q.input[0] + "_quantized")
        for d in cons[q.output[0]]:
            if d.op_type != "DequantizeLinear":
                raise RuntimeError(f"{q.name}: quantized weight feeds {d.op_type}")
            d.input[0] = name
        dead.append(q)
    G.remove_nodes(dead)


def _quantize_biases(G: _Graph) -> None:
    prod = G.producers()
    added = []
    for n in list(G.g.node):
        if n.op_type != "Conv" or len(n.input) < 3 or not n.input[2]:
            continue
        b = G.array(n.input[2])
        if b is None:
            continue  # already behind a DequantizeLinear
        dq_x, dq_w = prod.get(n.input[0]), prod.get(n.input[1])
        if dq_x is None or dq_x.op_type != "DequantizeLinear" or \
                dq_w is None or dq_w.op_type != "DequantizeLinear":
            continue  # float model: keep the float bias
        s_in = np.float32(G.array(dq_x.input[1]).reshape(()))
        s_w = G.array(dq_w.input[1]).astype(np.float32).reshape(-1)
        if s_w.size == 1:
            s_w = np.full(b.shape, s_w[0], np.float32)
        s_b = (s_in * s_w).astype(np.float32)
        q = _round_half_even(b.astype(np.float64) / s_b.astype(np.float64))
        q = np.clip(q, -2**31, 2**31 - 1).astype(np.int32)
        # Per conv: torch deduplicates equal initializers (e.g. all-zero biases) across convs.
        base = (n.name.strip("/").replace("/", "_") or n.input[2]) + "_bias"
        qi = G.add_init(q, base + "_quantized")
        si = G.add_init(s_b, base + "_scale")
        zi = G.add_init(np.zeros(b.shape, np.int32), base + "_zero_point")
        out = base + "_dequantized"
        dq = helper.make_node("DequantizeLinear", [qi, si, zi], [out],
                              name=(n.name or base) + "_bias_DequantizeLinear", axis=0)
        n.input[2] = out
        added.append(dq)
    G.g.node.extend(added)


def postprocess(model: onnx.ModelProto, metadata: dict | None = None) -> onnx.ModelProto:
    G = _Graph(model)
    _constants_to_initializers(G)
    _remove_identities(G)
    _canonical_resize_sizes(G)
    _fuse_relu_clip(G)
    _fold_pad_into_avgpool(G)
    _scalar_qparams(G)
    _fold_weight_quant(G)
    _quantize_biases(G)
    G.prune()
    G.toposort()
    # Drop the stale value_info torch left for rewritten tensors.
    del G.g.value_info[:]
    out_dims = G.g.output[0].type.tensor_type.shape.dim
    out_dims[0].dim_value = 1
    if metadata and "class_names" in metadata:
        out_dims[1].dim_value = len(metadata["class_names"])
    if metadata:
        set_metadata(model, metadata)
    model = onnx.shape_inference.infer_shapes(model)
    onnx.checker.check_model(model, full_check=True)
    return model


def conv_weight_absmax(model: onnx.ModelProto) -> dict:
    """max |w_int8| of every Conv, by the name of its int8 weight initializer (the exporter names
    it after the parameter: `<conv module>.conv.weight_quantized`)."""
    inits = {t.name: t for t in model.graph.initializer}
    prod = {o: n for n in model.graph.node for o in n.output}
    out = {}
    for n in model.graph.node:
        if n.op_type != "Conv":
            continue
        dq = prod.get(n.input[1])
        if dq is None or dq.op_type != "DequantizeLinear" or dq.input[0] not in inits:
            raise RuntimeError(f"{n.name}: weight is not a DequantizeLinear of an initializer")
        w = numpy_helper.to_array(inits[dq.input[0]])
        if w.dtype != np.int8:
            raise RuntimeError(f"{n.name}: weight is {w.dtype}, not int8")
        out[dq.input[0]] = int(np.abs(w.astype(np.int32)).max())
    return out


def check_weight_ranges(onnx_model: onnx.ModelProto, qranges: dict) -> None:
    """Every Conv's int8 weights lie within its module's range (qranges: module name ->
    (quant_min, quant_max), from quantize.weight_qranges); raises naming the first that do not."""
    widest = max(max(-lo, hi) for lo, hi in qranges.values())
    for init, absmax in conv_weight_absmax(onnx_model).items():
        module = init[:-len(".conv.weight_quantized")] if init.endswith(".conv.weight_quantized") else None
        lo, hi = qranges.get(module, (-widest, widest))
        if absmax > max(-lo, hi):
            raise RuntimeError(f"{init}: int8 weights reach {absmax}, outside [{lo}, {hi}]")


def set_metadata(model: onnx.ModelProto, metadata: dict) -> None:
    existing = {p.key: p for p in model.metadata_props}
    for k, v in metadata.items():
        s = v if isinstance(v, str) else json.dumps(v)
        if k in existing:
            existing[k].value = s
        else:
            p = model.metadata_props.add()
            p.key, p.value = k, s


def make_metadata(class_names: Sequence[str], input_width: int, input_height: int,
                  palette: Sequence | None = None, void_index: int = 255,
                  mean: Sequence[float] = IMAGENET_MEAN, std: Sequence[float] = IMAGENET_STD) -> dict:
    palette = palette if palette is not None else default_palette(len(class_names))
    assert len(palette) == len(class_names)
    return {
        "class_names": list(class_names),
        "palette": [list(map(int, c)) for c in palette],
        "input_width": str(int(input_width)),
        "input_height": str(int(input_height)),
        "void_index": str(int(void_index)),
        "mean": [float(v) for v in mean],
        "std": [float(v) for v in std],
    }


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------

@torch.no_grad()
def export_onnx(model: torch.nn.Module, path: str | None, metadata: dict, quantized: bool = True,
                trace_hw: tuple = (64, 96)) -> onnx.ModelProto:
    """Export `model` (prepared with `prepare_qat` and calibrated/trained) to `path`.

    quantized=True: QDQ int8 graph; quantized=False: float graph with the same (BN-folded)
    weights. The model's fake-quant state is restored afterwards. trace_hw is only the tracing
    size; H and W are dynamic in the file."""
    was_training = model.training
    model.eval()
    set_observers(model, False)
    set_fake_quant(model, quantized)
    try:
        if quantized:
            with export_weight_range(model):
                raw = _torch_export(model, *trace_hw)
        else:
            raw = _torch_export(model, *trace_hw)
    finally:
        set_fake_quant(model, True)
        model.train(was_training)
    out = postprocess(raw, metadata)
    if quantized:
        check_weight_ranges(out, weight_qranges(model))
    if path:
        onnx.save(out, path)
    return out


def main(argv=None):
    from .model import AttendSeg, AttendSegConfig
    from .quantize import prepare_qat

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--checkpoint", help="state_dict of the QAT-prepared model (torch.save)")
    ap.add_argument("--classes", type=int, default=len(CAMVID_CLASSES))
    ap.add_argument("--width", type=float, default=1.0)
    ap.add_argument("--input-size", default="480x360", help="WxH recorded in the metadata")
    ap.add_argument("--class-names", help="JSON list; default CamVid 11 classes")
    ap.add_argument("--void-index", type=int, default=255)
    ap.add_argument("--weight-qmax", type=int, default=WEIGHT_QMAX_FULL,
                    help="weights quantized to (-qmax, qmax); 127 (default): (-128, 127). Must match the checkpoint's")
    ap.add_argument("--full-range-convs", default="",
                    help="comma-separated conv modules kept at (-128, 127). Must match the checkpoint's")
    ap.add_argument("--out", required=True)
    ap.add_argument("--float-out")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    names = json.loads(a.class_names) if a.class_names else \
        (CAMVID_CLASSES if a.classes == len(CAMVID_CLASSES) else [f"class{i}" for i in range(a.classes)])
    model = prepare_qat(AttendSeg(AttendSegConfig(num_classes=len(names), width=a.width)).eval(), a.weight_qmax,
                        [n for n in a.full_range_convs.split(",") if n])
    if a.checkpoint:
        state = torch.load(a.checkpoint, map_location="cpu")
        model.load_state_dict(state.get("model", state))
    w, h = (int(v) for v in a.input_size.lower().split("x"))
    meta = make_metadata(names, w, h, void_index=a.void_index)
    export_onnx(model, a.out, meta, quantized=True)
    print("wrote", a.out)
    if a.float_out:
        export_onnx(model, a.float_out, meta, quantized=False)
        print("wrote", a.float_out)


if __name__ == "__main__":
    main()
