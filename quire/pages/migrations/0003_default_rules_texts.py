from django.db import migrations

# A fresh archive's first version of each rules page: plain, generic text a small fan
# archive can start from, which its staff then rewrite in the site (/tos/edit and so on).
# Nobody is asked to accept this version again: sign-up accepts the terms current then.

TOS = """<p>Welcome. These terms are the agreement between you and the people who run this
archive. By creating an account, or by posting, commenting or otherwise using the archive, you
agree to them. If we change them in a way that matters, we will ask you to accept them again
the next time you log in.</p>
<h3>Who may use the archive</h3>
<p>You may read without an account. To create an account you must be at least the minimum age
shown on the sign-up form and old enough to agree to these terms where you live. One person
may hold more than one account, but not to get around a suspension or ban.</p>
<h3>What you post</h3>
<ul>
<li>You keep the rights you have in your works. By posting, you allow this archive to store,
show and convert them (for example into downloadable e-books) so readers can read them, for as
long as you keep them here.</li>
<li>Post only what you have the right to post: your own works, or works whose creators agreed.
Do not post someone else's work as your own.</li>
<li>Tag and rate your works honestly, following the <a href="/content">Content Policy</a>, so
readers can choose what to read.</li>
<li>You can edit, orphan or delete your works at any time.</li>
</ul>
<h3>How to treat others</h3>
<p>Do not harass, threaten or impersonate anyone, share anyone's private information, spam, or
try to break or overload the archive. The <a href="/content">Content Policy</a> says more.</p>
<h3>What staff may do</h3>
<p>Staff may hide content that breaks these terms or the Content Policy, and may warn, suspend
or ban accounts. When we act on your account or content we will tell you why, unless the law
forbids it.</p>
<h3>No warranty</h3>
<p>The archive is run by volunteers and offered as it is, without any warranty. Keep your own
copies of your works: we make backups, but we cannot promise that nothing will ever be
lost.</p>
<p>Questions about these terms can be sent to the archive's staff.</p>"""

CONTENT = """<p>This archive welcomes transformative fan works of every kind, and aims to host as
much as it can while keeping readers able to choose what they see. This policy says what may
be posted and how it must be labelled.</p>
<h3>Ratings and warnings</h3>
<ul>
<li>Every work has a rating (General Audiences, Teen And Up Audiences, Mature, Explicit, or Not
Rated) and either the archive warnings that apply or "Creator Chose Not To Use Archive
Warnings".</li>
<li>A work with no rating is treated, and shown, as possibly explicit.</li>
<li>Works rated Mature or Explicit, and unrated works, are shown behind an adult-content
notice.</li>
</ul>
<h3>What is not allowed</h3>
<ul>
<li>Content that is illegal where the archive is hosted.</li>
<li>Harassment: content or comments posted to threaten, intimidate or target a person, and
sharing someone's personal information without their consent.</li>
<li>Plagiarism: posting another person's work as your own.</li>
<li>Spam and commercial advertising.</li>
<li>Fanworks are welcome; copying whole published works, or their text without transformation,
is not.</li>
</ul>
<h3>Comments and tags</h3>
<p>Disagreement is fine; abuse is not. Tags describe the work; they are not the place to attack
other people. Creators may moderate, freeze or delete comments on their own works.</p>
<h3>Reporting</h3>
<p>If you think something breaks this policy, report it to staff. Reports are handled
privately; we do not tell the creator who reported their work.</p>"""

PRIVACY = """<p>This page says what this archive stores about you, why, and what you can do about
it. We collect as little as we can and never sell it.</p>
<h3>What we store</h3>
<ul>
<li><strong>Your account:</strong> your username, your e-mail address (to confirm your account,
reset your password and send the notifications you ask for), your password in hashed form, and
the preferences you set.</li>
<li><strong>What you post:</strong> works, comments, bookmarks, kudos and profile text, shown as
you choose (public, to logged-in users only, or anonymously).</li>
<li><strong>Guests:</strong> when you leave kudos or comments as a guest, we keep a hashed form
of your IP address, to count kudos once and to fight spam; a guest comment also keeps the name
and e-mail address you give.</li>
<li><strong>Reading history:</strong> if your history is on, we remember which works you read
and when, so you can find them again. You can turn it off in your preferences and clear
it.</li>
<li><strong>Logs:</strong> the server keeps short-lived technical logs to keep the archive
running and secure.</li>
</ul>
<h3>Cookies</h3>
<p>We use a session cookie to keep you logged in, a security token for forms, and a cookie
that remembers a dismissed site banner. No advertising or tracking cookies.</p>
<h3>Who sees it</h3>
<p>Staff may see account data when they need it to run the archive or handle a report. We share
data with others only when the law requires it.</p>
<h3>Your choices</h3>
<p>You can change or delete your works and your account at any time; deleting your account
removes your personal data, except what we must keep by law or to prevent abuse.</p>"""

FAQ = """<h3>Do I need an account to read?</h3>
<p>No. Anyone can read public works, leave kudos and, where the creator allows it, comment.
Some works are visible to logged-in users only.</p>
<h3>How do I get an account?</h3>
<p>Use the Sign Up link at the top of the page. If sign-ups are by invitation, you can ask for
an invitation there.</p>
<h3>How do I post a work?</h3>
<p>Log in and choose "Post New". Give your work a title, rating, warnings, fandom and tags, then
post it, or save it as a draft to finish later.</p>
<h3>What are archive warnings?</h3>
<p>Four warnings (graphic depictions of violence, major character death, rape/non-con,
underage sex) that creators must either use when they apply or choose not to use. See the
<a href="/content">Content Policy</a>.</p>
<h3>Can I download works?</h3>
<p>Yes: most works can be downloaded as EPUB, PDF, HTML and other formats from the Download
menu on the work.</p>
<h3>How do I report a problem?</h3>
<p>Contact the archive's staff. For content that breaks the rules, use the report link.</p>"""

ABOUT = """<p>This is an archive for fan works, run by fans for fans. It hosts fan fiction and
other transformative works, and tags them so readers can find what they love and avoid what
they don't.</p>
<p>It runs on Quire, free and open-source archive software modelled on the Archive of Our Own.
Anyone can read; anyone with an account can post, bookmark and subscribe.</p>
<p>Please read the <a href="/tos">Terms of Service</a>, the
<a href="/content">Content Policy</a> and the <a href="/privacy">Privacy Policy</a> before
posting, and see the <a href="/faq">FAQ</a> for help getting started.</p>"""

TEXTS = {"tos": TOS, "content": CONTENT, "privacy": PRIVACY, "faq": FAQ, "about": ABOUT}
NOTE = "The archive's starting text."


def write_default_texts(apps, schema_editor):
    RulePage = apps.get_model("pages", "RulePage")
    RuleVersion = apps.get_model("pages", "RuleVersion")
    for slug, body in TEXTS.items():
        page = RulePage.objects.filter(slug=slug).first()
        if page is not None and not RuleVersion.objects.filter(page=page).exists():
            RuleVersion.objects.create(page=page, number=1, body=body, change_note=NOTE)


def remove_default_texts(apps, schema_editor):
    RuleVersion = apps.get_model("pages", "RuleVersion")
    for slug, body in TEXTS.items():
        RuleVersion.objects.filter(page__slug=slug, number=1, body=body).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0002_the_five_rules_pages"),
    ]

    operations = [
        migrations.RunPython(write_default_texts, remove_default_texts),
    ]
