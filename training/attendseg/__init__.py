"""AttendSeg-style segmentation: model, QAT preparation, QDQ ONNX export."""
from .model import AttendSeg, AttendSegConfig, count_params  # noqa: F401
from .quantize import prepare_qat, set_fake_quant, set_observers, calibrate  # noqa: F401
