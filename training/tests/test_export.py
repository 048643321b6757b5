"""Smoke test of QAT preparation + QDQ export. Run from training/: python3 -m unittest -v"""
import json
import os
import sys
import tempfile
import unittest

import numpy as np
import onnx
import torch
from onnx import TensorProto, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from attendseg.export import check_weight_ranges, conv_weight_absmax, export_onnx, make_metadata  # noqa: E402
from attendseg.model import AttendSeg, AttendSegConfig  # noqa: E402
from attendseg.quantize import (ConvBNAct, calibrate, is_depthwise, prepare_qat,  # noqa: E402
                                weight_qranges)

ALLOWED_OPS = {"QuantizeLinear", "DequantizeLinear", "Conv", "Relu", "Clip", "MaxPool",
               "AveragePool", "GlobalAveragePool", "Resize", "Add", "Mul", "Concat", "Sigmoid",
               "Shape", "Slice"}


def _attr(node, name):
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return None


class ExportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(1)
        torch.manual_seed(0)
        cls.tmp = tempfile.TemporaryDirectory()
        model = AttendSeg(AttendSegConfig(num_classes=3, width=0.125)).eval()
        prepare_qat(model)
        calibrate(model, [torch.randn(1, 3, 48, 64) for _ in range(2)])
        cls.meta = make_metadata(["a", "b", "c"], 64, 48, void_index=255)
        cls.qpath = os.path.join(cls.tmp.name, "m_qdq.onnx")
        cls.fpath = os.path.join(cls.tmp.name, "m_fp32.onnx")
        export_onnx(model, cls.qpath, cls.meta, quantized=True)
        export_onnx(model, cls.fpath, cls.meta, quantized=False)
        cls.q = onnx.load(cls.qpath)
        cls.f = onnx.load(cls.fpath)
        cls.inits = {t.name: numpy_helper.to_array(t) for t in cls.q.graph.initializer}
        cls.prod = {o: n for n in cls.q.graph.node for o in n.output}

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_checker_and_opset(self):
        onnx.checker.check_model(self.q, full_check=True)
        self.assertEqual([o.version for o in self.q.opset_import if o.domain in ("", "ai.onnx")],
                         [13])

    def test_only_supported_ops(self):
        ops = {n.op_type for n in self.q.graph.node}
        self.assertTrue(ops <= ALLOWED_OPS, ops - ALLOWED_OPS)
        self.assertNotIn("Identity", ops)
        self.assertNotIn("Cast", ops)
        self.assertNotIn("Constant", ops)

    def test_per_tensor_qparams_are_scalars(self):
        n = 0
        for node in self.q.graph.node:
            if node.op_type in ("QuantizeLinear", "DequantizeLinear") and _attr(node, "axis") is None:
                self.assertEqual(self.inits[node.input[1]].shape, (), node.name)
                self.assertEqual(self.inits[node.input[2]].shape, (), node.name)
                self.assertEqual(self.inits[node.input[2]].dtype, np.uint8, node.name)
                n += 1
        self.assertGreater(n, 20)

    def test_conv_weights_int8_and_biases_int32(self):
        convs = [n for n in self.q.graph.node if n.op_type == "Conv"]
        self.assertGreater(len(convs), 10)
        for c in convs:
            dq_x, dq_w, dq_b = (self.prod[i] for i in c.input[:3])
            for dq in (dq_x, dq_w, dq_b):
                self.assertEqual(dq.op_type, "DequantizeLinear", c.name)
            w = self.inits[dq_w.input[0]]
            self.assertEqual(w.dtype, np.int8)
            self.assertEqual(_attr(dq_w, "axis"), 0)
            s_w = self.inits[dq_w.input[1]]
            self.assertEqual(s_w.shape, (w.shape[0],))
            self.assertTrue(np.all(self.inits[dq_w.input[2]] == 0))
            b = self.inits[dq_b.input[0]]
            self.assertEqual(b.dtype, np.int32)
            s_b = self.inits[dq_b.input[1]]
            s_in = self.inits[dq_x.input[1]]
            np.testing.assert_allclose(s_b, np.float32(s_in) * s_w, rtol=1e-6)
            self.assertTrue(np.all(self.inits[dq_b.input[2]] == 0))

    def test_every_op_is_wrapped_in_qdq(self):
        sizes = {n.input[3] for n in self.q.graph.node if n.op_type == "Resize" and len(n.input) > 3}
        for node in self.q.graph.node:
            if node.output[0] in sizes:
                continue  # the Concat that builds Resize's `sizes` from shapes
            if node.op_type in ("Add", "Mul", "Concat", "MaxPool", "Resize", "Sigmoid", "Conv"):
                src = self.prod.get(node.input[0])
                self.assertEqual(src.op_type, "DequantizeLinear", node.name)
                out = node.output[0]
                users = [n for n in self.q.graph.node if out in n.input]
                if node.op_type == "Conv" and users and users[0].op_type in ("Relu", "Clip"):
                    out = users[0].output[0]
                    users = [n for n in self.q.graph.node if out in n.input]
                self.assertEqual([u.op_type for u in users], ["QuantizeLinear"], node.name)

    def test_sigmoid_fixed_qparams(self):
        for node in self.q.graph.node:
            if node.op_type == "Sigmoid":
                q = [n for n in self.q.graph.node if node.output[0] in n.input][0]
                self.assertAlmostEqual(float(self.inits[q.input[1]]), 1 / 256)
                self.assertEqual(int(self.inits[q.input[2]]), 0)

    def test_resize_sizes_pattern(self):
        for node in self.q.graph.node:
            if node.op_type != "Resize":
                continue
            self.assertEqual(node.input[1], "")
            cat = self.prod[node.input[3]]
            self.assertEqual(cat.op_type, "Concat")
            nc, hw = (self.prod[i] for i in cat.input)
            self.assertEqual((nc.op_type, hw.op_type), ("Slice", "Slice"))
            self.assertEqual(self.prod[nc.input[0]].input[0], node.input[0])
            self.assertEqual(list(self.inits[hw.input[1]]), [2])
            self.assertEqual(list(self.inits[hw.input[2]]), [4])

    def test_metadata_and_dynamic_input(self):
        meta = {p.key: p.value for p in self.q.metadata_props}
        self.assertEqual(json.loads(meta["class_names"]), ["a", "b", "c"])
        self.assertEqual(len(json.loads(meta["palette"])), 3)
        self.assertEqual((meta["input_width"], meta["input_height"]), ("64", "48"))
        self.assertEqual(meta["void_index"], "255")
        self.assertEqual(len(json.loads(meta["mean"])), 3)
        self.assertEqual(len(json.loads(meta["std"])), 3)
        dims = self.q.graph.input[0].type.tensor_type.shape.dim
        self.assertEqual(dims[1].dim_value, 3)
        self.assertTrue(dims[2].dim_param and dims[3].dim_param)

    def test_float_export(self):
        ops = {n.op_type for n in self.f.graph.node}
        self.assertNotIn("QuantizeLinear", ops)
        self.assertNotIn("DequantizeLinear", ops)
        for t in self.f.graph.initializer:
            self.assertNotIn(t.data_type, (TensorProto.INT8, TensorProto.UINT8))


class NarrowWeightRangeExportTest(unittest.TestCase):
    """--weight-qmax 64: the int8 file holds exactly the narrow fake-quant's weights."""

    def test_weights_within_their_range_and_equal_to_fake_quant(self):
        torch.manual_seed(1)
        model = AttendSeg(AttendSegConfig(num_classes=3, width=0.125)).eval()
        prepare_qat(model, 64, full_range=["stem.0"])
        calibrate(model, [torch.randn(1, 3, 48, 64) for _ in range(2)])
        convs = {n: m for n, m in model.named_modules() if isinstance(m, ConvBNAct)}
        wide = {n for n, m in convs.items() if n == "stem.0" or is_depthwise(m)}
        self.assertGreater(len(wide), 1)
        self.assertGreater(len(convs) - len(wide), 10)
        for n, rng in weight_qranges(model).items():
            self.assertEqual(rng, (-128, 127) if n in wide else (-64, 64), n)
        # Weights that grew past the frozen observer range (as in QAT) must clamp to +-64, not 65+.
        grown = "stem.1"
        self.assertNotIn(grown, wide)
        with torch.no_grad():
            convs[grown].conv.weight.mul_(1.5)
        before = {n: m.conv.weight.detach().clone() for n, m in convs.items()}
        with tempfile.TemporaryDirectory() as tmp:
            q = export_onnx(model, os.path.join(tmp, "m.onnx"), make_metadata(["a", "b", "c"], 64, 48))
        for n, m in convs.items():
            self.assertTrue(torch.equal(m.conv.weight, before[n]), f"{n}: export must restore the weights")
        self.assertEqual(weight_qranges(model)[grown], (-64, 64), "export must restore the range")
        # Each conv's int8 weights are the integers of torch's fake-quant over the conv's own range:
        # exactly for the narrow ones (their extremes sit at w / s = +-64); the full range puts the
        # extremes on the tie -127.5, which torch (w * (1 / s)) and the export (w / s) may round
        # one apart.
        inits = {t.name: numpy_helper.to_array(t) for t in q.graph.initializer}
        absmax = conv_weight_absmax(q)
        self.assertEqual(len(absmax), len(convs))
        for n, m in convs.items():
            lo, hi = weight_qranges(model)[n]
            s = m.wq.scale.reshape(-1, 1, 1, 1)
            fq = torch.fake_quantize_per_channel_affine(m.conv.weight, m.wq.scale, m.wq.zero_point, 0, lo, hi)
            want = torch.round(fq / s).to(torch.int8).numpy()
            got = inits[n + ".conv.weight_quantized"]
            if n in wide:
                self.assertLessEqual(int(np.abs(got.astype(np.int32) - want).max()), 1, n)
            else:
                np.testing.assert_array_equal(got, want, n)
            self.assertLessEqual(absmax[n + ".conv.weight_quantized"], 64 if n not in wide else 128, n)
        self.assertEqual(absmax[grown + ".conv.weight_quantized"], 64)
        self.assertGreater(int((torch.round(convs[grown].conv.weight / convs[grown].wq.scale.reshape(-1, 1, 1, 1))
                                .abs() > 64).sum()), 0, "the grown conv should have needed the clamp")
        # The export's own check catches a weight outside its conv's range.
        tampered = inits[grown + ".conv.weight_quantized"].copy()
        tampered.flat[0] = 65
        for t in q.graph.initializer:
            if t.name == grown + ".conv.weight_quantized":
                t.CopyFrom(numpy_helper.from_array(tampered, t.name))
        with self.assertRaises(RuntimeError):
            check_weight_ranges(q, weight_qranges(model))

    def test_rejects_bad_arguments(self):
        with self.assertRaises(ValueError):
            prepare_qat(AttendSeg(AttendSegConfig(num_classes=3, width=0.125)), 128)
        with self.assertRaises(ValueError):
            prepare_qat(AttendSeg(AttendSegConfig(num_classes=3, width=0.125)), 64, full_range=["stem.9"])


if __name__ == "__main__":
    unittest.main()
