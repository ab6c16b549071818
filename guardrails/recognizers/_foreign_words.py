"""Vocabulary of the recognisers for residents' data in other languages and scripts.

Closed classes only — the words that *frame* a name (self-introductions, salutations,
titles, form labels, signature closings), the words that show a capitalised run is no
person (organisations, places, calendar words, nationalities) and the surnames of
Vietnamese, Korean and Chinese, each a few hundred at most. Open classes (given names,
Western surnames) are not listed: the recognisers take any name-shaped run the context
frames. Kept data was measured first (bench/RESULTS.md, "Residents' data in every
language"): names-dataset costs 1.8 GB and 14 s to load and lists City, Hall, Monday as
names; probablepeople tags "Japan Post" as a person; gender-guesser is GPL.
"""

from __future__ import annotations

# -- what comes right before a name ------------------------------------------------------
# Self-introductions that name the speaker: the name follows whatever it looks like.
SELF_INTRODUCTIONS = (
    "my name is", "my full name is", "my name's", "i am called", "i'm called", "call me",
    "his name is", "her name is", "his full name is", "her full name is",
    "o nome dele é", "o nome dela é", "su nombre es", "ang pangalan niya ay",
    "tên anh ấy là", "tên chị ấy là", "tên của anh ấy là", "tên của chị ấy là",
    "meu nome é", "meu nome e", "me chamo", "eu me chamo", "chamo-me", "quem fala é",
    "aqui quem fala é", "quien habla es", "le habla",
    "me llamo", "mi nombre es", "mi nombre completo es",
    "ang pangalan ko ay", "ang pangalan ko po ay", "pangalan ko ay", "ako po si", "ako si",
    "tôi tên là", "toi ten la", "tên tôi là", "ten toi la", "em tên là", "em ten la",
    "tên em là", "mình tên là", "tên của tôi là", "con tên là",
    "je m'appelle", "je m’appelle", "nama saya", "我叫", "我的名字是", "我的名字叫",
    # who a staff note is about (the new resident is Olivia Brown), this-is forms
    "the resident is", "the new resident is", "the applicant is", "the caller is",
    "aqui é o", "aqui é a", "aqui é", "ito po si", "ito si", "mero naam", "mero nam",
    "mero name", "mero nau",
    # who a note is about, said after the fact (the man who called was Jacob Miller,
    # the family is Tom and Lisa Baker)
    "who called was", "who came was", "who came in was", "who visited was", "who phoned was",
    "the caller was", "the visitor was", "the resident was", "the applicant was",
    "the family is", "the family are", "the couple is", "the couple are", "the couple were",
    "the parents are", "the client is", "the client was",
    "名前は", "なまえは",
)  # fmt: skip
# Weaker: "I am" is followed by adjectives and nationalities too (see NOT_NAMES).
WEAK_INTRODUCTIONS = (
    "i am", "i'm", "i’m", "this is", "it's", "soy", "eu sou", "sou o", "sou a", "sou",
    "ako ay", "ako po ay", "tôi là", "toi la", "em là", "je suis", "saya",
    # Filipino person markers: of / to someone (Email ni Ramon Aquino, kay Aling Nena)
    "ni", "kay", "nina", "kina", "si", "sina",
    # this-is forms of a phone call or voice message (Oi, é o Leandro; Hola, habla Fernando)
    "é o", "é a", "habla",
    "私は", "わたしは", "僕は", "こちらは",
)  # fmt: skip
# Salutations and titles: the name follows (Dear Mr. Taro Yamada, Kính gửi anh Nam).
# Abbreviations take a full stop or not (Mr. / Mr); the words only a space.
ABBREVIATED_TITLES = (
    "mr",
    "mrs",
    "ms",
    "mx",
    "dr",
    "prof",
    "sr",
    "sra",
    "srta",
    "sres",
    "g",
    "gng",
    "bb",
)
TITLES = (
    *ABBREVIATED_TITLES, "miss", "dona", "doña", "don", "dom", "ginoong", "ginang",
    "binibining", "señor", "señora", "señorita", "senhor", "senhora", "monsieur", "madame",
    "mademoiselle", "ông", "bà", "anh", "chị", "cô",
)  # fmt: skip
# Vietnamese titles are written in lower case mid-sentence (gặp chị Lan); the others
# count only capitalised (Miss Tanaka, not "don't miss Hanabi Festival").
LOWERCASE_TITLES = ("ông", "bà", "anh", "chị", "cô", "chi", "ong")
SALUTATIONS = (
    "dear", "hello", "hi", "good morning", "good afternoon", "good evening", "attn",
    "attention", "prezado", "prezada", "caro", "cara", "querido", "querida", "estimado",
    "estimada", "olá", "ola", "hola", "kính gửi", "kinh gui", "gửi", "gui", "chào",
    "xin chào", "mahal na", "kumusta", "magandang araw",
)  # fmt: skip
# Form labels and roles, in the languages of the forms staff translate (then ":" or a
# space). Japanese ones too: 相談者 Nguyen Thi Lan.
LATIN_LABELS = (
    "name", "full name", "first name", "last name", "family name", "given name", "surname",
    "applicant", "applicant's name", "applicant name", "resident", "client", "patient",
    "requester", "guardian", "parent", "child", "spouse", "husband", "wife", "householder",
    "head of household", "contact person", "from", "to", "signature", "signed",
    "nome", "nome completo", "sobrenome", "requerente", "solicitante", "responsável",
    "nombre", "nombre completo", "apellido", "apellidos", "pangalan", "buong pangalan",
    "apelyido", "aplikante", "họ và tên", "ho va ten", "họ tên", "ho ten", "tên", "ten",
    "người nộp đơn", "nguoi nop don", "người yêu cầu", "người làm đơn",
    # who the person is to the applicant or the office, in the forms' languages
    "caller", "visitor", "walk-in", "contact", "mother", "father", "son", "daughter",
    "contato", "contacto", "kontak", "nama", "nama lengkap", "esposo", "esposa", "marido",
    "pai", "mãe", "padre", "madre", "hijo", "hija", "filho", "filha", "ina", "ama",
    "asawa", "anak", "suami", "istri", "ibu", "ayah", "vợ", "vo", "chồng", "chong",
    "người liên hệ", "nguoi lien he", "người bảo lãnh", "nguoi bao lanh", "người thân",
    "nguoi than", "bidyarthi", "naam", "pemohon", "pelapor", "liên hệ", "lien he", "case",
)  # fmt: skip
# Between a label and whose it is (Name of applicant:, Pangalan ng magulang:).
LABEL_QUALIFIERS = (
    "of", "do", "da", "dos", "das", "de", "del", "ng", "ni", "của", "cua",
    # where the person came (Walk-in at Oigawa Office: Catherine Hughes)
    "at", "em", "en", "sa",
)  # fmt: skip
# Nationalities of more than one word: never a name (I am Sri Lankan), though Sri is a
# given name (Sri Wahyuni).
NATIONALITY_PHRASES = frozenset(["sri lankan", "sri lanka", "costa rican", "el salvador"])
# Countries staff write in katakana after a resident's name (Elena Popescu（ルーマニア）):
# the aside says the name is a person's.
COUNTRIES_KATAKANA = (
    "ブラジル", "ペルー", "ボリビア", "アルゼンチン", "コロンビア", "メキシコ", "フィリピン",
    "ベトナム", "インドネシア", "ネパール", "タイ", "ミャンマー", "スリランカ", "インド",
    "パキスタン", "バングラデシュ", "モンゴル", "カンボジア", "ラオス", "マレーシア",
    "アメリカ", "米国", "カナダ", "イギリス", "英国", "アイルランド", "オーストラリア",
    "ニュージーランド", "フランス", "ドイツ", "イタリア", "スペイン", "ポルトガル", "ロシア",
    "ウクライナ", "ルーマニア", "ポーランド", "トルコ", "イラン", "エジプト", "ナイジェリア",
    "ガーナ", "ケニア", "中国", "台湾", "韓国", "香港",
)  # fmt: skip
JAPANESE_LABELS = (
    "相談者", "申請者", "申請人", "氏名", "名前", "お名前", "届出人", "世帯主", "対象者",
    "利用者", "本人", "保護者", "児童", "生徒", "配偶者", "夫", "妻", "父", "母", "宛名",
    "依頼者", "来庁者", "通訳", "担当", "送信者", "差出人", "受付", "申請者名", "転入者",
    "転出者", "来所者", "代理人", "通報者", "同居人", "世帯員",
)  # fmt: skip
CHINESE_LABELS = (
    "姓名", "名字", "申请人", "联系人", "聯絡人", "收件人", "户主", "戶主", "来访者", "來訪者",
    "申請人", "咨询人", "諮詢人", "来访", "來訪", "访客", "訪客", "来电", "來電", "来电人",
    "发件人", "發件人", "寄件人", "办理人", "辦理人",
)  # fmt: skip
KOREAN_LABELS = (
    "이름", "성명", "신청인", "신청자", "상담자", "보호자", "세대주", "수신인", "작성자",
    "받는 사람", "보내는 사람", "담당자", "문의자", "연락처", "신청인 성명", "보호자 성명",
    "통역 요청", "통역 필요", "통역 의뢰", "통역 대상", "방문자", "내방자", "민원인",
    "보낸 사람", "보낸사람", "받는사람", "배우자",
)  # fmt: skip
LABELS = LATIN_LABELS + JAPANESE_LABELS + CHINESE_LABELS + KOREAN_LABELS
# Honorifics after a name, in Japanese text: Maria Santosさん, Nguyen Thi Lan様.
HONORIFICS_AFTER = ("さん", "様", "さま", "氏", "殿", "くん", "ちゃん", "先生", "-san", "-sama")
# A letter's closing; the name stands on the next line.
CLOSINGS = (
    "sincerely", "yours sincerely", "yours faithfully", "best regards", "kind regards",
    "regards", "best wishes", "thank you", "thanks", "respectfully", "atenciosamente",
    "cordialmente", "saludos", "saludos cordiales", "atentamente", "trân trọng",
    "tran trong", "thân ái", "salamat", "salamat po", "maraming salamat po",
    "lubos na gumagalang", "敬具", "以上",
)  # fmt: skip

# -- what a name never contains ------------------------------------------------------------
# Organisations, places and offices: "Yaizu City Hall", "Japan Post", "Citizens Division".
ORGANISATION_WORDS = frozenset(
    "city hall office division section department center centre ward town village"
    " prefecture prefectural municipal station library school university college hospital"
    " clinic museum park garden gym pool association council committee bureau agency"
    " ministry corporation company co inc ltd llc post bank japan tokyo osaka kyoto"
    " shizuoka yaizu street road avenue building bldg floor team group desk counter"
    " service services support information center international exchange plaza port"
    " airport river bridge temple shrine castle mt mount lake bay island beach hotel"
    " store shop market mall church embassy consulate government national public"
    " welfare health insurance pension tax resident residents citizens citizen foreign"
    " foreigners affairs immigration disaster prevention emergency fire police"
    " kindergarten nursery elementary junior high work house"
    # events (Sakura Festival (2024), Summer Camp): never part of a name
    " festival matsuri fair exhibition concert conference olympics games camp award prize"
    # the same in the languages notices are translated into (Divisão de Cidadãos, Sección
    # de Ciudadanos, Phòng Công dân, Tanggapan ng Munisipyo)
    # — not words that are also surnames or given names there (Câmara, Trường, Thư).
    " prefeitura divisão seção secção departamento setor escola creche biblioteca"
    " cidadão cidadãos estrangeiros ayuntamiento municipalidad división sección oficina"
    " escuela guardería ciudadanos extranjeros residentes munisipyo tanggapan kagawaran"
    " seksyon dibisyon opisina paaralan aklatan phòng tòa ủy"
    # Vietnamese "hiệp hội" (association), also written without accents in notices:
    # "Lien he: Hiep hoi giao luu quoc te" names the association, not a contact person.
    " hội hoi".split()
)
# Surnames that are also organisation words: a name when they open the run.
SURNAME_HOMOGRAPHS = frozenset("park hall church post bridge lake bay river".split())
# Calendar and everyday capitalised words that follow "Dear", "Hello", "I am".
NOT_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april"
    " may june july august september october november december sir madam madame sirs all"
    " everyone everybody colleagues colleague friends friend parents guardians members"
    " customer customers applicant applicants valued team staff ladies gentlemen user"
    " users not none unknown same anonymous n/a required optional please yes no the a"
    " an and or of for with in on at to from by sorry fine ok okay good happy here there"
    " very really so also just now new japanese vietnamese filipino filipina brazilian"
    " chinese korean nepali nepalese indonesian thai peruvian american british indian"
    " burmese myanmar lankan mongolian taiwanese spanish portuguese english french"
    " german español inglés portugués japonés chino catholic christian muslim buddhist student students worker workers trainee"
    " interns intern teacher doctor nurse mother father wife husband son daughter child"
    " children baby pregnant married single divorced retired unemployed sick ill"
    " interested calling writing living working studying looking sending moving new"
    " mr mrs ms miss dr prof"
    # offices addressed by title (La Sra. Alcaldesa, o Prefeito)
    " alcalde alcaldesa prefeito prefeita presidente presidenta gobernador governador"
    # what follows "my name is" when no name does (my name is spelled wrong, is written
    # in katakana, is missing from the list, see attached)
    " my your his her our their it is was spelled misspelled wrong correct incorrect"
    " written listed registered printed missing shown different changed below above"
    " attached enclosed same included see unclear illegible".split()
)
# Words that end a name typed in lower case (meu nome é joão da silva e moro…, me llamo
# diego ramirez y vivo…): conjunctions and prepositions of the languages staff translate.
LOWERCASE_NAME_ENDS = frozenset("and e y và va at em en sa ng na from of i à a na".split())
# Joining words inside Western names: Maria da Silva, Juan de la Cruz, Ludwig van Beethoven.
NAME_PARTICLES = frozenset(
    "da de do das dos del de la las los di du van von der den ter bin binti dela delos y e".split()
)

# -- surnames of closed classes -------------------------------------------------------------
# Vietnamese surnames (with and without diacritics) and the middle names that mark a full
# name (Nguyễn Văn An, Trần Thị Lan): together distinctive enough to need no context.
VIETNAMESE_SURNAMES = frozenset(
    "nguyễn nguyen trần tran lê le phạm pham hoàng hoang huỳnh huynh phan vũ vu võ vo đặng"
    " dang bùi bui đỗ do hồ ho ngô ngo dương duong lý ly đinh dinh trương truong đào dao"
    " mai tô to lâm lam cao hà ha tạ ta lưu luu kiều kieu châu chau thái thai"
    " tống tong quách quach lương luong thạch thach mạc mac tiêu tieu đoàn doan triệu trieu"
    " trịnh trinh khổng khong hứa hua diệp diep phùng phung tôn ton lại lai âu au đồng"
    " dong thân than nghiêm nghiem chu quan bạch bach đàm dam lục luc cù cu ông ong".split()
)
VIETNAMESE_MIDDLE_NAMES = frozenset("văn van thị thi".split())
# Surnames no other language staff meet writes (not Le, Ho, Do, Mai, Cao, Ha …): three
# capitalised words opening with one are a Vietnamese full name (Nguyen Thanh Nam).
VIETNAMESE_ONLY_SURNAMES = frozenset(
    "nguyễn nguyen trần tran phạm pham huỳnh huynh hoàng hoang đặng bùi đỗ ngô dương duong"
    " trương truong võ đinh vũ quách quach lương luong thạch triệu trieu trịnh trinh khổng"
    " hứa diệp phùng phung nghiêm nghiem đoàn doan tống mạc tiêu".split()
)
# Korean surnames in Hangul (the ~70 that cover over 99 % of people), two-syllable ones
# first.
KOREAN_SURNAMES = (
    "남궁 황보 제갈 선우 독고 사공 서문 "
    "김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유 전 홍 고 문 양 손 배 백 허 "
    "남 심 노 하 곽 성 차 주 우 구 민 진 나 지 엄 변 채 원 천 방 공 현 함 염 여 추 도 소 석 "
    "선 설 마 길 연 위 표 명 기 반 라 왕 금 옥 육 인 맹 제 모 탁 국 어 은 편 용 예 경 봉 사 부"
).split()
# Chinese surnames (simplified and traditional; the ~150 most frequent, two-character
# ones first).
CHINESE_SURNAMES = (
    "欧阳 歐陽 司马 司馬 诸葛 諸葛 上官 东方 東方 慕容 皇甫 令狐 夏侯 公孙 公孫 "
    "王 李 张 張 刘 劉 陈 陳 杨 楊 黄 黃 赵 趙 吴 吳 周 徐 孙 孫 马 馬 朱 胡 郭 何 林 罗 羅 高 "
    "郑 鄭 梁 谢 謝 宋 唐 许 許 韩 韓 冯 馮 邓 鄧 曹 彭 曾 肖 蕭 田 董 潘 袁 蔡 蒋 蔣 余 于 "
    "杜 叶 葉 程 魏 苏 蘇 吕 呂 丁 任 卢 盧 姚 沈 钟 鍾 姜 崔 谭 譚 陆 陸 范 汪 廖 石 金 韦 "
    "韋 贾 賈 夏 付 傅 方 邹 鄒 熊 白 孟 秦 邱 侯 江 尹 薛 闫 閆 段 雷 龙 龍 黎 史 陶 贺 賀 "
    "毛 郝 顾 顧 龚 龔 邵 万 萬 覃 武 钱 錢 戴 严 嚴 莫 孔 向 常 汤 湯 康 易 乔 喬 赖 賴 文 "
    "施 洪 辛 柯 庄 莊 牛 樊 葛 邢 安 齐 齊 温 溫 包 殷 颜 顏 倪 严 翁 游 俞 关 關 祝 申"
).split()

# -- Korean ----------------------------------------------------------------------------------
# Before a name in Hangul (then a copula or particle): 제 이름은 김민준입니다.
KOREAN_SELF_INTRODUCTIONS = ("제 이름은", "저의 이름은", "내 이름은", "제 이름은요", "이름은")
KOREAN_WEAK_INTRODUCTIONS = ("저는", "나는", "안녕하세요", "안녕하십니까")
KOREAN_HONORIFICS = ("씨", "님", "선생님", "고객님", "さん", "様")
# Titles and nouns that look like surname + syllables before 님 or after 저는: 사장님,
# 이사장님, 저는 유학생입니다, 저는 한국인입니다.
KOREAN_NOT_NAMES = frozenset(
    "사장 선생 부장 원장 이사 기사 고객 주임 여사 실장 차장 대표 팀장 소장 반장 총장 교장"
    " 국장 의원 목사 신부 수녀 박사 교수 형님 누님 부모 고모 이모 사모 이사장 부사장 부원장"
    " 부회장 부총장 부시장 부지사 한국인 중국인 일본인 미국인 유학생 주부 회사원 공무원"
    " 이민자 노동자 기술자 연수생 대학생 고등학생 학부모 신청자 상담자 보호자 자영업 무직"
    " 정규직 주민 시민 이웃 남편 아내 부인 엄마 아빠 형 오빠 언니 누나 동생 아들 딸 손자"
    " 손녀 조카 여기 저기 거기 오늘 내일 이번 지금 처음 정말 전화 문의 상담 신청".split()
)

# -- Chinese ---------------------------------------------------------------------------------
CHINESE_SELF_INTRODUCTIONS = ("我叫", "我的名字是", "我的名字叫", "本人叫", "我姓名是", "我名叫")
CHINESE_WEAK_INTRODUCTIONS = ("我是", "本人是", "这是", "這是")
CHINESE_HONORIFICS = ("先生", "女士", "小姐", "同学", "同學", "太太", "夫人", "阿姨")
# Characters that end a given name rather than continue it (我叫王伟住在…, 王伟先生).
CHINESE_STOP_CHARS = frozenset(
    "是在住的今来來从從和与與跟也就要想于於有了说說去到给給叫姓先女小同老阿太夫"
    "下昨每"
    "们們这這那个個一不人中日学學生市县縣区區町村"
)
# Words after 我叫 / 姓名： that are not names (我叫什么, 姓名：未填写).
CHINESE_NOT_NAMES = frozenset(
    "什么 甚麼 大家 自己 未填 不详 不詳 同上 本人 匿名 无 無 请问 請問 您好 你好".split()
)
