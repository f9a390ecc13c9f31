from zhclean import Document, Replacement, build_pipeline, clean, load_config


def test_offsets_map_back_through_two_steps():
    doc = Document("甲(jiǎ)乙 丙")
    doc.apply("a", [Replacement(1, 6, "", "ruby")])
    assert doc.text == "甲乙 丙"
    doc.apply("b", [Replacement(2, 3, "", "space")])
    assert doc.text == "甲乙丙"
    assert [e.offset for e in doc.edits] == [1, 7]
    assert doc.edits[1].before == " "


def test_line_removal_is_recorded_in_removed():
    doc = Document("正文。\n分享讓更多人看到\n")
    doc.apply("boilerplate", [Replacement(4, 13, "", "share", "share prompt", line_removal=True)])
    assert doc.text == "正文。\n"
    assert doc.removed[0].line == "分享讓更多人看到"
    assert doc.removed[0].offset == 4


def test_default_config_builds_every_step():
    pipe = build_pipeline(load_config(), script="hans")
    assert "ruby" in pipe.names and "script" in pipe.names


def test_clean_returns_text():
    assert isinstance(clean("中文").text, str)
