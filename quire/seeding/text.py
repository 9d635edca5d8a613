"""Benign generated prose for the demo archive, in the demo's five languages.

Gentle scenes only (tea, letters, rain, gardens), whatever rating a work carries: the labels
exercise the gates, the text never needs them. Sentences come from small templates and word
lists; `{a}` and `{b}` stand for the work's characters and are filled in last, so one pool of
sentences serves every work. The English text also exercises AO3's word-count rules: "--",
apostrophes, hyphens, "&" and curly quotes all appear.

Output is plain text with blank lines between paragraphs, as a writer would type it; the
seeder runs it through format_user_text like the posting form does.
"""

# ruff: noqa: RUF001 - Chinese and Japanese text uses full-width punctuation on purpose.

import random
import re

_SLOT = re.compile(r"\[(\w+)\]")


def _split(text: str) -> list[str]:
    """Word lists written compactly: items separated by " | "."""
    return [item.strip() for item in text.split("|")]


# --- English -------------------------------------------------------------------------------

_EN_LINES = _split(
    "Would you like some tea? | I think it's going to rain. | You're late. | "
    "I saved you a seat. | Have you read this one? | We should go before the shops close. | "
    "It's only a little further. | I'm glad you came. | Don't worry about it. | "
    "Look at the sky. | Shall we walk? | I found it under the stairs. | "
    "It was nothing, really. | Tell me again. | You've got flour on your sleeve. | "
    "Is that a new scarf?"
)
_EN = {
    "place": _split(
        "the garden | the library | the kitchen | the harbour | the orchard | the station | "
        "the attic | the parlour | the market | the old bridge | the lighthouse | the bookshop | "
        "the greenhouse | the mill | the river path | the tea room | the stables | "
        "the music room | the courtyard | the window seat | the bakery | the chapel steps | "
        "the hill above the town | the ferry landing"
    ),
    "object": _split(
        "a letter | a cup of tea | an old map | a basket of apples | a chipped teapot | "
        "a book of poems | a lantern | a pair of gloves | a loaf of bread | "
        "a bundle of wildflowers | a wool scarf | a wooden box | a sketchbook | a jar of honey | "
        "a pocket watch | an umbrella | a blue ribbon | a violin | a chessboard | a postcard | "
        "a tin of biscuits | a pressed flower | a spool of thread | a paper boat"
    ),
    "time": _split(
        "in the morning | after supper | before the rain | at dusk | on Sunday | that evening | "
        "just after dawn | while the kettle boiled | when the bells rang | all afternoon | "
        "later that week | on the first warm day | before anyone else was awake"
    ),
    "verb": _split(
        "carried | found | mended | read | wrapped | polished | opened | set down | picked up | "
        "admired | borrowed | returned | noticed | folded | studied | straightened | dusted off"
    ),
    "intrans": _split(
        "laughed | waited | listened | smiled | hummed | sighed | paused | wandered off | "
        "looked up | sat down | stayed quiet | kept walking | turned the page | counted the stars"
    ),
    "ing": _split("laughing | humming | waiting | reading aloud | pouring the tea | whistling"),
    "weather": _split(
        "The rain had stopped | The wind picked up | Snow settled on the sills | "
        "The sun came out | Fog rolled in from the river | The light turned gold | "
        "A warm breeze moved through the trees | The clouds thinned | Somewhere a dog barked | "
        "The fire crackled in the grate"
    ),
    "feeling": _split(
        "content | curious | hopeful | tired but happy | a little nervous | oddly calm | "
        "grateful | amused | wide awake | at home"
    ),
    "line": _EN_LINES,
    # A line followed by "X said" ends in a comma, not a full stop.
    "said_line": [line[:-1] + "," if line.endswith(".") else line for line in _EN_LINES],
    "say": _split("said | asked | replied | murmured | called | admitted | whispered | offered"),
    "share": _split("shared | argued about | looked for | laughed over | divided | traded"),
    "did": _split("visited | swept | walked through | waited in | painted | tidied"),
    "hour": _split("one | two | three | four | five | six | seven | eight | nine | ten | eleven"),
    "smell": _split(
        "rain | woodsmoke | fresh bread | cut grass | the sea | old paper | oranges | lavender"
    ),
}
_EN_SENTENCES = [
    "{a} [verb] [object] [time].",
    "{b} [verb] [object] and took it to [place].",
    "[weather], and {a} [intrans].",
    "[weather].",
    '"[said_line]" {a} [say].',
    '"[said_line]" {b} [say], and {a} [intrans].',
    "{a} felt [feeling] [time].",
    "In [place], {a} and {b} [share] [object].",
    "{b} had always liked [place] [time].",
    "Neither of them said much; {a} [verb] [object] while {b} [intrans].",
    "It wasn't the first time {a} had [did] [place].",
    "{a} thought about [object] -- and about {b} -- for a long time.",
    "There was a well-worn path from [place] to [place].",
    "{b} didn't mind, not really.",
    "<em>Of course</em>, {a} thought, and [intrans].",
    "Bread & butter, tea & toast: {a} kept a list of small comforts, and [object] was on it.",
    "\u201c[said_line]\u201d {b} [say].",
    "The clock in [place] struck [hour], and {a} [intrans].",
    "{a} would remember it for years: [object], [place], and {b} [ing].",
    "Everything smelled of [smell].",
]

# --- Spanish, French, Chinese, Japanese ----------------------------------------------------

_ES = {
    "place": _split(
        "el jardín | la biblioteca | la cocina | el puerto | el huerto | la estación | "
        "el desván | el mercado | el puente viejo | el faro | la librería"
    ),
    "object": _split(
        "una carta | una taza de té | un mapa viejo | una cesta de manzanas | "
        "un libro de poemas | una linterna | unos guantes | una bufanda de lana | "
        "una caja de madera | un tarro de miel"
    ),
    "time": _split(
        "por la mañana | después de cenar | al atardecer | antes de la lluvia | el domingo | "
        "esa tarde | al amanecer"
    ),
    "verb": _split("llevó | encontró | leyó | abrió | guardó | arregló | dobló | devolvió"),
    "intrans": _split("sonrió | esperó | escuchó | se rió | suspiró | siguió caminando"),
    "weather": _split(
        "Había dejado de llover | El viento soplaba suave | Salió el sol | "
        "La niebla subía del río | La luz se volvió dorada"
    ),
    "line": _split(
        "¿Quieres un poco de té? | Llegas tarde. | Te guardé un sitio. | "
        "Me alegro de que hayas venido. | Mira el cielo. | ¿Damos un paseo?"
    ),
    "smell": _split("lluvia | pan recién hecho | leña | mar | papel viejo | naranjas"),
}
_ES_SENTENCES = [
    "{a} [verb] [object] [time].",
    "[weather], y {a} [intrans].",
    "\u2014[line] \u2014dijo {a}.",
    "En [place], {a} y {b} compartieron [object].",
    "A {b} siempre le había gustado [place] [time].",
    "{a} pensó en {b} durante mucho tiempo.",
    "Todo olía a [smell].",
]

_FR = {
    "place": _split(
        "le jardin | la bibliothèque | la cuisine | le port | le verger | la gare | le grenier | "
        "le marché | le vieux pont | le phare | la librairie"
    ),
    "object": _split(
        "une lettre | une tasse de thé | une vieille carte | un panier de pommes | "
        "un livre de poèmes | une lanterne | une paire de gants | une écharpe de laine | "
        "une boîte en bois | un pot de miel"
    ),
    "time": _split(
        "le matin | après le dîner | au crépuscule | avant la pluie | le dimanche | ce soir-là | "
        "à l'aube"
    ),
    "verb": _split("a apporté | a trouvé | a lu | a ouvert | a rangé | a réparé | a rendu"),
    "intrans": _split("a souri | a attendu | a écouté | a ri | a soupiré | a gardé le silence"),
    "weather": _split(
        "La pluie s'était arrêtée | Le vent s'est levé | Le soleil est sorti | "
        "Le brouillard montait de la rivière | La lumière est devenue dorée"
    ),
    "line": _split(
        "Tu veux du thé ? | Tu es en retard. | Je t'ai gardé une place. | Regarde le ciel. | "
        "On se promène ? | Quelle belle journée."
    ),
    "smell": _split("la pluie | le pain chaud | le feu de bois | la mer | le vieux papier"),
}
_FR_SENTENCES = [
    "{a} [verb] [object] [time].",
    "[weather], et {a} [intrans].",
    "\u00ab\u00a0[line]\u00a0\u00bb dit {a}.",
    "Dans [place], {a} et {b} ont partagé [object].",
    "{b} avait toujours aimé [place] [time].",
    "{a} a pensé à {b} pendant longtemps.",
    "Tout sentait [smell].",
]

# Chinese and Japanese use their own full-width punctuation, on purpose.
_ZH = {
    "place": _split(
        "花园里 | 图书馆里 | 厨房里 | 河边 | 窗前 | 港口 | 果园里 | 车站 | 阁楼上 | 集市上 | "
        "老桥上 | 灯塔下"
    ),
    "action": _split(
        "读一封信 | 泡了一壶茶 | 看着远处的山 | 等雨停 | 整理旧书 | 画了一张地图 | "
        "烤了一炉面包 | 修好了旧伞 | 摘了一篮苹果 | 听着风声"
    ),
    "time": _split("那天早上 | 傍晚 | 下雨以后 | 周末 | 第二天 | 天快亮的时候 | 晚饭后"),
    "weather": _split("雨停了 | 风很轻 | 阳光照进房间 | 雪落在窗台上 | 河上起了雾 | 天色渐渐暗了"),
    "feeling": _split("很安心 | 有点紧张 | 很高兴 | 很平静"),
    "line": _split(
        "要喝茶吗？ | 你来晚了。 | 我给你留了位子。 | 看，天空。 | 我们走走吧。 | 你来了就好。"
    ),
}
_ZH_SENTENCES = [
    "{a}在[place][action]。",
    "[time]，{a}和{b}一起[action]。",
    "[weather]。",
    "\u201c[line]\u201d{a}说。",
    "{b}笑了笑，没有说话。",
    "{a}觉得[feeling]。",
    "[time]，[weather]，{b}还在[place][action]。",
]

_JA = {
    "place": _split("庭 | 図書館 | 台所 | 川辺 | 窓辺 | 港 | 果樹園 | 駅 | 屋根裏 | 市場 | 古い橋"),
    "action": _split(
        "手紙を読んだ | お茶をいれた | 古い本を整理した | 雨がやむのを待った | "
        "地図を描いた | パンを焼いた | 傘を直した | りんごを摘んだ | 風の音を聞いた"
    ),
    "time": _split("その朝 | 夕方 | 雨のあと | 週末 | 次の日 | 夜明け前 | 夕食のあと"),
    "weather": _split(
        "雨がやんだ | 風がやさしく吹いた | 日差しが部屋に差し込んだ | "
        "雪が窓辺に積もった | 川に霧が出た"
    ),
    "feeling": _split("ほっとした | 少し緊張した | うれしかった | 静かな気持ちになった"),
    "line": _split(
        "お茶はいかが？ | 遅かったね。 | 席を取っておいたよ。 | 空を見て。 | 少し歩こうか。"
    ),
}
_JA_SENTENCES = [
    "{a}は[place]で[action]。",
    "[time]、{a}と{b}は一緒に[action]。",
    "[weather]。",
    "「[line]」と{a}は言った。",
    "{b}は少し笑って、何も言わなかった。",
    "{a}は[feeling]。",
]

# language -> (templates, vocabulary, sentence joiner, pool size)
_LANGUAGES = {
    "en": (_EN_SENTENCES, _EN, " ", 3000),
    "es": (_ES_SENTENCES, _ES, " ", 600),
    "fr": (_FR_SENTENCES, _FR, " ", 600),
    "zh": (_ZH_SENTENCES, _ZH, "", 600),
    "ja": (_JA_SENTENCES, _JA, "", 600),
}
CJK = frozenset({"zh", "ja"})
SCENE_BREAK = "* * *"

# --- Titles, summaries, notes ----------------------------------------------------------------

_TITLE_ADJECTIVES = _split(
    "Glass | Quiet | Silver | Paper | Golden | Winter | Late | Small | Borrowed | Secret | "
    "Gentle | Early | Distant | Little | Green | Salt | Velvet | Lantern-lit | Unfinished | "
    "Ordinary | Patient | Hidden | Bright | Careful | Second | Wild | Lost | Faded | Summer | "
    "Autumn | Morning | Last | Kind | Sleepless | Tender | Far | Honest"
)
_TITLE_NOUNS = _split(
    "Orchard | Garden | Letter | Harbour | Lantern | Hour | Season | Ribbon | Teacup | Map | "
    "Song | Window | Bridge | Compass | Lighthouse | Meadow | Tide | Thread | Kettle | Errand | "
    "Library | Winter | Crossing | Shore | Hearth | Promise | Journey | Station | Orchard Wall | "
    "Balcony | Staircase | Harvest | Tea Party | Ferry | Attic | Market | Road | Rainfall | "
    "Homecoming | Greenhouse"
)
_TITLE_PLURALS = _split(
    "Letters | Lanterns | Teacups | Maps | Songs | Windows | Bridges | Afternoons | Errands | "
    "Hours | Kindnesses | Apples | Stars | Tides | Promises | Keys | Roads | Candles | Stories | "
    "Seasons | Footsteps | Secrets | Feathers | Gardens | Postcards | Mornings"
)
_EN_TITLE_SHAPES = [
    "The {adj} {noun}",
    "The {adj} {noun}",
    "{plural} in the {noun}",
    "A {noun} for {first}",
    "What the {noun} Knew",
    "{number} {plural}",
    '"{line}"',
    "{adj} {plural}",
    "{adj} {plural}",
    "Of {plural} and {plural2}",
    "after the {lower_noun}",
    "An Early {noun}",
    "{first} and the {adj} {noun}",
    "Where the {plural} Go",
    "Notes on {plural}",
    "The {noun} of {first}",
    "All the {adj} {plural}",
    "{first}, in {lower_plural}",
    "Everything {adj}",
    "{number} {plural} for {first}",
    "...And Then the {noun}",
]
# Titles in other languages: a head and a tail, joined by the language's own joiner.
_TITLE_PARTS = {
    "zh": (
        _split("雨后 | 春日 | 冬夜 | 远方 | 旧城 | 清晨 | 夏末 | 河边 | 山中 | 故乡"),
        "的",
        _split("花园 | 来信 | 灯塔 | 旧书 | 长夜 | 茶会 | 约定 | 归途 | 小路 | 星光"),
    ),
    "ja": (
        _split("雨 | 春 | 冬 | 遠い町 | 古い港 | 夜明け | 夏の終わり | 川辺 | 山 | 故郷"),
        "の",
        _split("午後 | 手紙 | 灯台 | 本棚 | 庭 | 約束 | 帰り道 | 小道 | 星 | お茶会"),
    ),
    "es": (
        _split(
            "El jardín | La carta | El faro | La estación | El puerto | La biblioteca | "
            "El invierno | La lluvia | El camino | La promesa"
        ),
        " ",
        _split(
            "de cristal | de invierno | de {first} | del puerto | al amanecer | sin nombre | "
            "de papel | de las tres | de los domingos | junto al río"
        ),
    ),
    "fr": (
        _split(
            "Le jardin | La lettre | Le phare | La gare | Le port | La bibliothèque | L'hiver | "
            "La pluie | Le chemin | La promesse"
        ),
        " ",
        _split(
            "de verre | d'hiver | de {first} | du port | à l'aube | sans nom | de papier | "
            "des trois | du dimanche | près de la rivière"
        ),
    ),
}
_EN_SUMMARIES = _split(
    "{a} has a letter to deliver. {b} has questions. | "
    "Five times {a} brought {b} tea, and the one time {b} brought it back. | "
    "In which {a} learns to bake bread, and {b} is very patient about it. | "
    "A quiet afternoon in {place}. | "
    "{a} and {b} get caught in the rain. That's it, that's the fic. | "
    "{a} finds something unexpected in {place}. | "
    "Written for a friend who wanted more {a}. | "
    "{a} keeps a list of small comforts. {b} is on it. | "
    "Modern AU: {a} runs a bookshop; {b} keeps coming back. | "
    "The letters stopped. Then, one spring, they started again. | "
    "{b} is not good at goodbyes. {a} is patient. | "
    "A map, a lantern, and a very long walk home."
)
_SUMMARIES = {
    "es": _split(
        "{a} tiene una carta que entregar. | Una tarde tranquila en el jardín. | "
        "{a} y {b} se quedan atrapados bajo la lluvia."
    ),
    "fr": _split(
        "{a} a une lettre à remettre. | Un après-midi tranquille au jardin. | "
        "{a} et {b} sont surpris par la pluie."
    ),
    "zh": _split("{a}收到了一封信。 | 一个安静的下午。 | {a}和{b}在雨中散步。"),
    "ja": _split("{a}に手紙が届いた。 | 静かな午後の話。 | {a}と{b}が雨の中を歩く。"),
}
_NOTES = {
    "en": _split(
        "Thank you to my beta for reading this over! | "
        "This started as a drabble and got away from me. | "
        "Title from an old song I keep humming. | "
        "My first work in this fandom - be kind! | "
        'Written for a prompt: "{freeform}". | '
        "Not beta-read; all mistakes are mine. | "
        "For everyone who asked for more {a}. | "
        "Updates on Sundays, more or less."
    ),
    "es": _split(
        "¡Gracias por leer! | Escrito para un reto de verano. | Sin beta; los errores son míos."
    ),
    "fr": _split(
        "Merci de votre lecture ! | Écrit pour un défi d'été. | "
        "Pas de bêta, les erreurs sont à moi."
    ),
    "zh": _split("谢谢阅读！ | 第一次写这个题材。 | 欢迎留言。"),
    "ja": _split(
        "読んでくださってありがとうございます！ | 初めての作品です。 | "
        "感想をいただけるとうれしいです。"
    ),
}
_ENDNOTES = {
    "en": _split(
        "Thank you for reading! | Come say hello in the comments. | More soon, I promise. | "
        "This was so much fun to write. | Kudos and comments are always appreciated."
    ),
    "es": _split("¡Nos vemos en el próximo capítulo! | Gracias por los comentarios."),
    "fr": _split("À bientôt pour la suite ! | Merci pour vos commentaires."),
    "zh": _split("下一章见！ | 谢谢大家的留言。"),
    "ja": _split("次の章でお会いしましょう。 | コメントありがとうございます。"),
}
_CHAPTER_TITLES = {
    "en": _split(
        "Arrivals | The Long Way Round | Tea | Rain | An Unexpected Letter | Small Hours | "
        "Departures | Homecoming | Interlude | The Market | Snowfall | A Map of the Garden | "
        "Lanterns | Sunday | The Bridge | Epilogue"
    ),
    "es": _split("Llegadas | La lluvia | Una carta | El mercado | Epílogo"),
    "fr": _split("Arrivées | La pluie | Une lettre | Le marché | Épilogue"),
    "zh": _split("雨夜 | 来信 | 集市 | 归途 | 尾声"),
    "ja": _split("雨の夜 | 手紙 | 市場 | 帰り道 | エピローグ"),
}
_SERIES_SHAPES = _split(
    "The {adj} {noun} Series | {plural} and Other Stories | Tales from the {noun} | "
    "The {noun} Letters | {first}'s Year"
)
_NUMBERS = _split("3 | 5 | 7 | 12 | 21 | 100")


# Words that start a name but are no first name: "Captain Hook" stays whole.
_HONORIFICS = frozenset(
    _split(
        "The | Mr. | Mrs. | Dr. | Lady | Lord | Count | Captain | Abbé | Cardinal | Friar | "
        "Maid | King | Little | Don | Sister | Professor | Doctor | Auntie | Sheriff | Milady | "
        "St. | Le"
    )
)


def _first_name(name: str) -> str:
    parts = name.split()
    return name if not parts or parts[0] in _HONORIFICS else parts[0]


def _headline(text: str) -> str:
    """Title case that leaves "I'm" alone (str.title would give "I'M")."""
    return " ".join(word[:1].upper() + word[1:] for word in text.split())


class Prose:
    """Generated prose from a seed. Each call takes the caller's random generator, so a
    work's text depends only on the seed and that work, not on the order works are built."""

    def __init__(self, seed: str) -> None:
        self._seed = seed
        self._pools: dict[str, tuple[list[str], list[int]]] = {}

    def _pool(self, language: str) -> tuple[list[str], list[int]]:
        """Sentences with `{a}`/`{b}` still open, and roughly how many words each holds."""
        if language not in self._pools:
            templates, vocabulary, _, size = _LANGUAGES[language]
            rng = random.Random(f"{self._seed}:sentences:{language}")
            sentences = []
            for _ in range(size):
                template = rng.choice(templates)
                sentences.append(_SLOT.sub(lambda slot: rng.choice(vocabulary[slot[1]]), template))
            if language in CJK:
                sizes = [len(sentence) for sentence in sentences]
            else:
                sizes = [len(sentence.split()) + 1 for sentence in sentences]
            self._pools[language] = (sentences, sizes)
        return self._pools[language]

    def chapter(self, rng: random.Random, language: str, names: tuple[str, str], words: int) -> str:
        """About `words` words of plain text in paragraphs, naming the two characters."""
        sentences, sizes = self._pool(language)
        joiner = _LANGUAGES[language][2]
        paragraphs: list[str] = []
        total = 0
        count = len(sentences)
        while total < words:
            picks = [int(rng.random() * count) for _ in range(rng.randint(1, 6))]
            paragraphs.append(joiner.join(sentences[pick] for pick in picks))
            total += sum(sizes[pick] for pick in picks)
            if len(paragraphs) % 17 == 0 and rng.random() < 0.5:
                paragraphs.append(SCENE_BREAK)
        text = "\n\n".join(paragraphs)
        return _fill(text, names)

    def title(self, rng: random.Random, language: str, names: tuple[str, str]) -> str:
        first = _first_name(names[0])
        if language in _TITLE_PARTS:
            heads, joiner, tails = _TITLE_PARTS[language]
            return f"{rng.choice(heads)}{joiner}{rng.choice(tails)}".format(first=first)
        plurals = rng.sample(_TITLE_PLURALS, 2)
        noun = rng.choice(_TITLE_NOUNS)
        return rng.choice(_EN_TITLE_SHAPES).format(
            adj=rng.choice(_TITLE_ADJECTIVES),
            noun=noun,
            lower_noun=noun.lower(),
            plural=plurals[0],
            plural2=plurals[1],
            lower_plural=plurals[1].lower(),
            first=first,
            number=rng.choice(_NUMBERS),
            line=_headline(rng.choice(_EN["line"]).rstrip(".?")),
        )

    def summary(self, rng: random.Random, language: str, names: tuple[str, str]) -> str:
        if language == "en":
            text = rng.choice(_EN_SUMMARIES).replace("{place}", rng.choice(_EN["place"]))
        else:
            text = rng.choice(_SUMMARIES[language])
        if rng.random() < 0.3:
            sentences, _ = self._pool(language)
            text += _LANGUAGES[language][2] + rng.choice(sentences)
        return _fill(text, names)

    def notes(
        self, rng: random.Random, language: str, names: tuple[str, str], freeform: str
    ) -> str:
        text = rng.choice(_NOTES[language]).replace("{freeform}", freeform)
        return _fill(text, names)

    def endnotes(self, rng: random.Random, language: str) -> str:
        return rng.choice(_ENDNOTES[language])

    def chapter_title(self, rng: random.Random, language: str) -> str:
        return rng.choice(_CHAPTER_TITLES[language])

    def series_title(self, rng: random.Random, names: tuple[str, str]) -> str:
        return rng.choice(_SERIES_SHAPES).format(
            adj=rng.choice(_TITLE_ADJECTIVES),
            noun=rng.choice(_TITLE_NOUNS),
            plural=rng.choice(_TITLE_PLURALS),
            first=_first_name(names[0]),
        )


def _fill(text: str, names: tuple[str, str]) -> str:
    return text.replace("{a}", names[0]).replace("{b}", names[1])
