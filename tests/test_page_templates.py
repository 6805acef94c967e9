"""The templates the system profiles and their index are written with: one escape rule, one table."""

from markupsafe import Markup

from nhsreport.publish.pages import templating


def test_escape_is_html_escape_and_leaves_html_alone():
    assert templating.escape("Guy's & St Thomas' <\"x\">") == "Guy&#x27;s &amp; St Thomas&#x27; &lt;&quot;x&quot;&gt;"
    assert templating.escape(Markup("<b>bold</b>")) == "<b>bold</b>"
    assert templating.escape(3.5) == "3.5"


def test_values_are_escaped_in_html_and_left_alone_in_markdown():
    env = templating.environment()
    page = env.from_string("{{ x }} {% autoescape true %}<p>{{ x }}</p>{% endautoescape %}").render(x="A & B's")
    assert page == "A & B's <p>A &amp; B&#x27;s</p>"


def test_table_macro():
    table = templating.environment().get_template("table.html.j2").module.table
    html = str(
        table(
            "Boards & trusts",
            ["Board", "Population"],
            [[{"text": "Guy's", "href": "a.html"}, {"text": "1,200", "sort": 1200}], ["B", "yes"]],
            numeric=(1,),
            sortable=True,
        )
    )
    assert html == (
        '<div class="nhs-table-wrap"><table class="nhs-sortable"><caption>Boards &amp; trusts</caption>'
        '<thead><tr><th scope="col">Board</th><th scope="col">Population</th></tr></thead><tbody>'
        '<tr><th scope="row"><a href="a.html">Guy&#x27;s</a></th><td class="num" data-sort="1200">1,200</td></tr>'
        '<tr><th scope="row">B</th><td class="num">yes</td></tr></tbody></table></div>'
    )
    assert 'class="nhs-profile-table"' in str(table("c", ["a"], [["x"]]))
