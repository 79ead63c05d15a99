from zhengwu.core.search import segment


def test_search_mode_yields_sub_words():
    assert segment("食品经营许可证") == ["食品", "经营", "许可", "许可证"]


def test_long_phrase_keeps_whole_and_parts():
    words = segment("中华人民共和国居民身份证")
    assert {"中华人民共和国", "人民", "共和国", "居民身份证", "身份证"} <= set(words)


def test_latin_lowercased_punctuation_and_spaces_dropped():
    assert segment("办理 ICP 备案，需要哪些材料？") == ["办理", "icp", "备案", "需要", "哪些", "材料"]


def test_full_width_latin_folded_and_symbols_split():
    assert segment("ＡＢＣ１２３ 申请_表") == ["abc123", "申请", "表"]
    assert segment('"); DROP TABLE --') == ["drop", "table"]


def test_empty_and_punctuation_only():
    assert segment("") == []
    assert segment(" ，。！？*()") == []
