import pandas as pd
import pytest

import civicgraph as cg
from civicgraph.i18n import label, translate_frame


def test_translate_frame_headers_and_codes():
    df = pd.DataFrame(
        {"name": ["hub", "红梅社区"], "role": ["hub", "member"], "share": [0.25, 1.0]},
        index=pd.Index(["a", "b"], name="id"),
    )
    zh = translate_frame(df, "zh")
    assert list(zh.columns) == ["名称", "类型", "覆盖率"]
    assert zh.index.name == "编号"
    assert zh["类型"].tolist() == ["枢纽型组织", "社区社会组织"]
    assert zh["名称"].tolist() == ["hub", "红梅社区"]  # names are never translated
    en = translate_frame(df, "en")
    assert list(en.columns) == ["name", "role", "share"]


def test_unknown_language():
    with pytest.raises(cg.SchemaError, match="unknown language 'fr'"):
        label("share", "fr")
