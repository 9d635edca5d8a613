"""Seed the language list with AO3's short codes (en, ptBR, zh ...)."""

from django.db import migrations

LANGUAGES = [
    ("af", "Afrikaans"),
    ("ar", "العربية"),
    ("bg", "Български"),
    ("bn", "বাংলা"),
    ("ca", "Català"),
    ("cs", "Čeština"),
    ("cy", "Cymraeg"),
    ("da", "Dansk"),
    ("de", "Deutsch"),
    ("el", "Ελληνικά"),
    ("en", "English"),
    ("eo", "Esperanto"),
    ("es", "Español"),
    ("et", "eesti keel"),
    ("eu", "Euskara"),
    ("fa", "فارسی"),
    ("fi", "Suomi"),
    ("fil", "Filipino"),
    ("fr", "Français"),
    ("ga", "Gaeilge"),
    ("gl", "Galego"),
    ("he", "עברית"),
    ("hi", "हिन्दी"),
    ("hr", "Hrvatski"),
    ("hu", "Magyar"),
    ("id", "Bahasa Indonesia"),
    ("is", "Íslenska"),
    ("it", "Italiano"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("la", "Lingua latina"),
    ("lt", "Lietuvių kalba"),
    ("lv", "Latviešu valoda"),
    ("ms", "Bahasa Malaysia"),
    ("nl", "Nederlands"),
    ("no", "Norsk"),
    ("pl", "Polski"),
    ("ptBR", "Português brasileiro"),
    ("ptPT", "Português europeu"),
    ("ro", "Română"),
    ("ru", "Русский"),
    ("sk", "Slovenčina"),
    ("sl", "Slovenščina"),
    ("sr", "Српски"),
    ("sv", "Svenska"),
    ("sw", "Kiswahili"),
    ("ta", "தமிழ்"),
    ("th", "ไทย"),
    ("tl", "Tagalog"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("ur", "اُردُو"),
    ("vi", "Tiếng Việt"),
    ("zh", "中文-普通话 國語"),
    ("yue", "中文-广东话 粵語"),
]


def seed(apps, schema_editor):
    Language = apps.get_model("works", "Language")
    for code, name in LANGUAGES:
        Language.objects.update_or_create(code=code, defaults={"name": name})


def unseed(apps, schema_editor):
    apps.get_model("works", "Language").objects.filter(
        code__in=[code for code, _ in LANGUAGES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("works", "0001_works_chapters_series")]
    operations = [migrations.RunPython(seed, unseed)]
