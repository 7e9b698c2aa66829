from tracker.text.normalize import ascii_fold, fold, initials, plain_text


def test_ascii_fold():
    assert ascii_fold("Ærø Straße Ørsted") == "aero strasse orsted"


def test_fold_compares_names_and_titles():
    assert fold("Di Tommaso, N.") == "di tommaso n"
    assert fold("Müller–Łukasz: Ærø") == "muller lukasz aero"


def test_initials():
    assert initials("Xin M.") == "XM"
    assert initials("Jean-Paul") == "JP"
    assert initials("XM") == "XM"
    assert initials(None) == ""


def test_plain_text():
    assert plain_text("A <i>b</i> &amp;amp; c") == "A b & c"
    assert plain_text("H<sub>2</sub>O  and\n<b>more</b>") == "H2O and more"
    assert plain_text(None) is None


def test_fold():
    assert fold("Ziółko, Müller–Łukasz!") == "ziolko muller lukasz"
