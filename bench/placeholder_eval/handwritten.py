"""Hand-written placeholder prompts: a held-out check of ``bench/placeholders.py``.

The bench's residents are generated from templates; these 64 prompts were written by
hand, once, before the placeholder-mode widening (``guardrails/_placeholder_widen.py``)
was tuned, and are not used to tune it: letters, case summaries, call records,
proofreading and translations as staff write them, in Japanese, English, Portuguese,
Spanish, Vietnamese (with and without accents), Korean, Chinese, Filipino and Nepali.
Every person, address, phone number and date here is invented.

``personal``: each resident's value as written (every occurrence in the text counts);
``public``: words that must stay as written — offices, facilities, the city of the
office's contact — so a rule that placeholders them is caught; ``same``: which values
are one person. A value written inside a longer one (片桐 in 片桐 芳恵) is that longer
value's person. (``same`` and this rule were added after the first runs, when reading
the bench's "one placeholder, two values" cases showed that it counted a surname and
its full name as two people; the texts and values are unchanged.)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from bench.placeholder_eval.prompts import Gold, Prompt


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    task: str
    lang: str
    text: str
    personal: tuple[tuple[str, str], ...]  # (entity type, value as written)
    public: tuple[str, ...] = ()
    # Values the text says are one person (阿久津さん（阿久津 正樹…）, 宏さん after 長男 松浦 宏,
    # a name's reading): one ``who``, so the bench's "one placeholder, two people" counts
    # people, not spellings. Values not listed are each somebody of their own.
    same: tuple[tuple[str, ...], ...] = ()


P, A, T, B, E, Z = "PERSON", "ADDRESS", "PHONE_NUMBER", "BIRTH_DATE", "EMAIL_ADDRESS", "POSTAL_CODE"

CASES: tuple[Case, ...] = (
    # -- letters and notices (Japanese) ------------------------------------------------------
    Case("h01", "draft", "ja",
         "小野寺美津子様あてに、介護保険料の口座振替が残高不足でできなかったことのお知らせを作ってください。住所は焼津市大村一丁目4番7号、電話は054-627-3391です。問い合わせは焼津市役所 介護保険課へ。",
         ((P, "小野寺美津子"), (A, "焼津市大村一丁目4番7号"), (T, "054-627-3391")),
         ("焼津市役所", "介護保険課")),
    Case("h02", "draft", "ja",
         "藤枝市青葉町3-12-5 グリーンハイツ青葉 203号室 にお住まいの 堀之内 蓮 様へ、粗大ごみの収集日の確認の手紙を書いて。",
         ((A, "藤枝市青葉町3-12-5 グリーンハイツ青葉 203号室"), (P, "堀之内 蓮"))),
    Case("h03", "draft", "ja",
         "児童扶養手当の現況届の督促状。宛先：〒425-0036 静岡県焼津市西小川4丁目2番地の18 メゾン西小川 102　勅使河原 千尋 様。前回の通知は戻ってきています。",
         ((Z, "425-0036"), (A, "静岡県焼津市西小川4丁目2番地の18 メゾン西小川 102"), (P, "勅使河原 千尋"))),
    Case("h04", "draft", "ja",
         "転出の手続きが済んだ 久保田 絢子さん（昭和58年11月3日生）に、国民健康保険の資格喪失のご案内を送りたい。新住所は 浜松市中央区佐藤二丁目15-3 です。文面をお願いします。",
         ((P, "久保田 絢子"), (B, "昭和58年11月3日"), (A, "浜松市中央区佐藤二丁目15-3"))),
    Case("h05", "draft", "ja",
         "敬老祝い金の贈呈のお知らせを作って。対象：五十嵐 トメ様（大正15年2月1日生まれ、満100歳）、代理で受け取るのは長女の五十嵐 和代様。連絡先 090-5521-8830。",
         ((P, "五十嵐 トメ"), (B, "大正15年2月1日"), (P, "五十嵐 和代"), (T, "090-5521-8830"))),
    Case("h06", "draft", "ja",
         "住民税の納付相談の日程を案内するメールを作成。送り先 k.shimazu1972@example.ne.jp、宛名は島津 健吾 様。担当は税務課 納税係の青木です。",
         ((E, "k.shimazu1972@example.ne.jp"), (P, "島津 健吾")),
         ("税務課",)),
    Case("h07", "draft", "ja",
         "保育所の退所届の受理通知を作って。保護者：今泉 亜由美、児童：今泉 颯太（令和2年7月19日生）。住所：焼津市石津中町12-8。",
         ((P, "今泉 亜由美"), (P, "今泉 颯太"), (B, "令和2年7月19日"), (A, "焼津市石津中町12-8"))),
    Case("h08", "draft", "ja",
         "道路の補修が終わったことを、要望を出された 𠮷田 聡一郎 様（焼津市小川新町2-3-21）にお知らせする文。電話でも伝えたい（080-3321-0987）。",
         ((P, "𠮷田 聡一郎"), (A, "焼津市小川新町2-3-21"), (T, "080-3321-0987"))),
    Case("h09", "draft", "ja",
         "次の方への不在連絡票の文面を作ってください。\n宛名：中ノ森 りん 様\n住所：焼津市栄町五丁目3番1号 サンコーポ栄 5F\n電話：054(628)4410",
         ((P, "中ノ森 りん"), (A, "焼津市栄町五丁目3番1号 サンコーポ栄 5F"), (T, "054(628)4410"))),
    Case("h10", "draft", "ja",
         "母子健康手帳の再交付の案内を、新井 美咲さんと夫の新井 拓真さんあてに作って。連絡先はmisaki.arai@example.com。",
         ((P, "新井 美咲"), (P, "新井 拓真"), (E, "misaki.arai@example.com"))),
    Case("h11", "draft", "ja",
         "Please draft a short English letter to Mr. Oliver Bennett (2-7-14 Honmachi, Yaizu-shi, Shizuoka 425-0022) confirming that his certificate of residence was mailed today. Contact: Citizens Division, Yaizu City Hall.",
         ((P, "Oliver Bennett"), (A, "2-7-14 Honmachi, Yaizu-shi, Shizuoka"), (Z, "425-0022")),
         ("Citizens Division", "Yaizu City Hall")),
    Case("h12", "draft", "ja",
         "就学援助の認定通知。保護者 ペレイラ・ダ・シルバ マルコス 様、児童 ペレイラ・ダ・シルバ アナ さん（2016年5月30日生）。住所は焼津市中港3丁目6-22 コーポ中港 301。",
         ((P, "ペレイラ・ダ・シルバ マルコス"), (P, "ペレイラ・ダ・シルバ アナ"), (B, "2016年5月30日"), (A, "焼津市中港3丁目6-22 コーポ中港 301"))),
    Case("h13", "draft", "ja",
         "窓口に来られた阿久津さん（阿久津 正樹、電話 070-4410-2285）に、必要書類の一覧をお渡しするための説明文を作って。",
         ((P, "阿久津"), (P, "阿久津 正樹"), (T, "070-4410-2285")),
         same=(("阿久津 正樹", "阿久津"),)),
    Case("h14", "draft", "ja",
         "防災訓練のお礼状を自主防災会長の 榊原 義之 様へ。会場は焼津市総合福祉会館でした。問い合わせは焼津市 防災課（054-626-1111）。",
         ((P, "榊原 義之"),),
         ("焼津市総合福祉会館", "防災課", "054-626-1111")),
    Case("h15", "draft", "ja",
         "下記の方へ水道料金の減免決定通知を作成。\n氏名 グエン ティ ホア\n生年月日 1990年8月14日\n住所 焼津市三ケ名1450-3 ハイツ三ケ名B棟 105",
         ((P, "グエン ティ ホア"), (B, "1990年8月14日"), (A, "焼津市三ケ名1450-3 ハイツ三ケ名B棟 105"))),
    # -- case notes and call records (Japanese) ------------------------------------------------
    Case("h16", "summarize", "ja",
         "次の相談記録を要約。\n相談者：松浦 澄江（76）\n同居：長男 松浦 宏（48）\n住所：焼津市田尻北1002-5\n内容：宏さんが失職し生活が苦しい。澄江さんの年金のみで生活。生活保護の相談を希望。",
         ((P, "松浦 澄江"), (P, "松浦 宏"), (A, "焼津市田尻北1002-5"), (P, "宏"), (P, "澄江")),
         same=(("松浦 澄江", "澄江"), ("松浦 宏", "宏"))),
    Case("h17", "summarize", "ja",
         "電話記録を3行で：10/3 14:10 片桐 様（携帯 090-7781-2043）から入電。同居家族：妻 片桐 芳恵、長女 片桐 ひより。ひよりさんの就学時健診の日程変更を希望。",
         ((P, "片桐"), (T, "090-7781-2043"), (P, "片桐 芳恵"), (P, "片桐 ひより"), (P, "ひより")),
         same=(("片桐 ひより", "ひより"),)),
    Case("h18", "summarize", "ja",
         "訪問記録の要点をまとめて。対象者 鬼頭 巌（昭和9年4月8日）、独居。住所 焼津市浜当目三丁目7-11。民生委員の大石さんから、鬼頭さんが最近食事をとっていないとの連絡。",
         ((P, "鬼頭 巌"), (B, "昭和9年4月8日"), (A, "焼津市浜当目三丁目7-11"), (P, "鬼頭"), (P, "大石")),
         same=(("鬼頭 巌", "鬼頭"),)),
    Case("h19", "summarize", "ja",
         "ケース会議メモを箇条書きに。・本人：マリア・サントス・オリベイラ（45）・娘：ジュリア（15）・住所：焼津市八楠2-20-9・母語はポルトガル語、日本語は日常会話程度。ジュリアさんが通訳している。",
         ((P, "マリア・サントス・オリベイラ"), (P, "ジュリア"), (A, "焼津市八楠2-20-9"))),
    Case("h20", "summarize", "ja",
         "苦情の経過を要約：申出人 早乙女 光（さおとめ ひかる）様、焼津市東小川5丁目13番6号。隣家の騒音について。早乙女様の電話は054-620-7788。環境課で対応中。",
         ((P, "早乙女 光"), (P, "さおとめ ひかる"), (A, "焼津市東小川5丁目13番6号"), (P, "早乙女"), (T, "054-620-7788")),
         ("環境課",),
         same=(("早乙女 光", "早乙女", "さおとめ ひかる"),)),
    Case("h21", "summarize", "ja",
         "引継ぎメモを要約して。\n・塩見 勝也さん（S47.10.2）国保税の分納相談中\n・配偶者 塩見 由紀さん（パート勤務）\n・連絡先 shiomi.katsuya@example.jp",
         ((P, "塩見 勝也"), (B, "S47.10.2"), (P, "塩見 由紀"), (E, "shiomi.katsuya@example.jp"))),
    Case("h22", "summarize", "ja",
         "相談内容を200字で：孫の 柳田 蒼 くん（小3）を祖母の 柳田 千鶴子 さんが養育している。千鶴子さんは焼津市浜通り88番地に住み、児童扶養手当の対象か確認したいとのこと。",
         ((P, "柳田 蒼"), (P, "柳田 千鶴子"), (P, "千鶴子"), (A, "焼津市浜通り88番地")),
         same=(("柳田 千鶴子", "千鶴子"),)),
    Case("h23", "summarize", "ja",
         "面談記録の要約をお願いします。来所者：ラマ・ビシュヌ（ネパール国籍）、妻：ラマ・スニタ。住所 焼津市五ケ堀之内820 アパート若葉 2-B。子どもの保育園入所について。",
         ((P, "ラマ・ビシュヌ"), (P, "ラマ・スニタ"), (A, "焼津市五ケ堀之内820 アパート若葉 2-B"))),
    Case("h24", "summarize", "ja",
         "以下を要約：令和8年9月、岩渕 美和子 様から、父 岩渕 甚五郎（大正14年生）の介護認定の区分変更の申請。主治医は焼津市立総合病院。",
         ((P, "岩渕 美和子"), (P, "岩渕 甚五郎")),
         ("焼津市立総合病院",)),
    Case("h25", "summarize", "ja",
         "次の窓口記録を要約：転入 ゴメス・ロドリゲス ホセ ルイス 様（1988年3月9日生）、妻 ゴメス カルラ 様、長男 ゴメス マテオ くん。前住所 愛知県豊橋市花田町字斉藤12-4。",
         ((P, "ゴメス・ロドリゲス ホセ ルイス"), (B, "1988年3月9日"), (P, "ゴメス カルラ"), (P, "ゴメス マテオ"), (A, "愛知県豊橋市花田町字斉藤12-4"))),
    Case("h26", "summarize", "ja",
         "相談記録を要約して。相談者の御手洗 茜さん（電話090-2231-5567）は、同居する義母の御手洗 キヨさんの認知症について相談。キヨさんは昭和12年5月5日生まれ。",
         ((P, "御手洗 茜"), (T, "090-2231-5567"), (P, "御手洗 キヨ"), (P, "キヨ"), (B, "昭和12年5月5日")),
         same=(("御手洗 キヨ", "キヨ"),)),
    Case("h27", "summarize", "ja",
         "Summarize this call note in Japanese: Ms. Hannah Kowalski called from 080-6612-9043. Her son Lukas Kowalski (born 14 March 2017) needs a school transfer. They moved to 3-5-8 Ote, Yaizu-shi.",
         ((P, "Hannah Kowalski"), (T, "080-6612-9043"), (P, "Lukas Kowalski"), (B, "14 March 2017"), (A, "3-5-8 Ote, Yaizu-shi"))),
    Case("h28", "proofread", "ja",
         "校正して：東 雅人 様　先日はご来庁頂きありがとうございました。ご依頼の書類を 焼津市与惣次163-2 あてにお送りしまた。",
         ((P, "東 雅人"), (A, "焼津市与惣次163-2"))),
    Case("h29", "proofread", "ja",
         "次の文の敬語を直して。「高柳 紗季 さんへ。お問い合わせの件ですが、担当の者が折り返しお電話いたしますので、090-8845-1120 でお待ちください。」",
         ((P, "高柳 紗季"), (T, "090-8845-1120"))),
    Case("h30", "proofread", "ja",
         "誤字脱字を確認：〒421-0204 焼津市高新田1125-7　ヴィラ高新田 ２０２　大河内 葵 様　保険証の更新のご案内をお送りします。",
         ((Z, "421-0204"), (A, "焼津市高新田1125-7　ヴィラ高新田 ２０２"), (P, "大河内 葵"))),
    # -- Japanese letters to foreign residents, to translate ------------------------------------
    Case("h31", "translate", "ja",
         "英語に訳して：ジョンソン エミリー 様　あなたの在留カードの住所変更（焼津市駅北1-9-3）を受け付けました。",
         ((P, "ジョンソン エミリー"), (A, "焼津市駅北1-9-3"))),
    Case("h32", "translate", "ja",
         "ポルトガル語に翻訳：サトウ・ヒロシ・ペドロ様（1979年12月24日生）の国民年金の免除申請を受け付けました。結果は郵送します。",
         ((P, "サトウ・ヒロシ・ペドロ"), (B, "1979年12月24日"))),
    Case("h33", "translate", "ja",
         "やさしい日本語にして：レ ヴァン トゥアン さん。あなたの こどもの レ ティ マイ さんの 予防接種の 日は 11月20日です。焼津市保健センターに 来てください。",
         ((P, "レ ヴァン トゥアン"), (P, "レ ティ マイ")),
         ("焼津市保健センター",)),
    Case("h34", "translate", "ja",
         "中国語に訳して：王 建華 様、劉 芳 様。お二人の婚姻届を受理しました。住所は焼津市本中根456-1です。",
         ((P, "王 建華"), (P, "劉 芳"), (A, "焼津市本中根456-1"))),
    Case("h35", "translate", "ja",
         "韓国語に訳してください：박지훈 様　児童手当の口座変更届を受け付けました。ご質問は子育て支援課（054-626-2166）まで。",
         ((P, "박지훈"),),
         ("子育て支援課", "054-626-2166")),
    # -- residents' own texts into Japanese --------------------------------------------------------
    Case("h36", "translate", "en",
         "Translate into Japanese: Hi, I'm Grace Okafor. My husband Daniel Okafor and I live at 4-12-9 Nishikoyagawa, Yaizu-shi. Our baby Amara was born on 2 February 2026. Can we get the child allowance?",
         ((P, "Grace Okafor"), (P, "Daniel Okafor"), (A, "4-12-9 Nishikoyagawa, Yaizu-shi"), (P, "Amara"), (B, "2 February 2026"))),
    Case("h37", "translate", "en",
         "日本語にして：To the city office — my mother, Margaret O'Neill, fell at home (Sunny Court 305, 1-4-2 Ekikita, Yaizu). Please call me, Siobhan O'Neill, at 090-1182-7734.",
         ((P, "Margaret O'Neill"), (A, "Sunny Court 305, 1-4-2 Ekikita, Yaizu"), (P, "Siobhan O'Neill"), (T, "090-1182-7734"))),
    Case("h38", "translate", "en",
         "Translate: Dear Sir, my son Ethan James Walker (DOB 07/11/2015) will transfer to Yaizu Minami Elementary School. Our new address is 2-3-1 Sakaemachi, Yaizu, Shizuoka. Regards, Peter Walker",
         ((P, "Ethan James Walker"), (B, "07/11/2015"), (A, "2-3-1 Sakaemachi, Yaizu, Shizuoka"), (P, "Peter Walker")),
         ("Yaizu Minami Elementary School",)),
    Case("h39", "translate", "en",
         "Please translate into Japanese: My wife Priya Raman is pregnant and we want the mother-child handbook. I am Arjun Raman, phone 070-2291-6650, email arjun.raman@example.org.",
         ((P, "Priya Raman"), (P, "Arjun Raman"), (T, "070-2291-6650"), (E, "arjun.raman@example.org"))),
    Case("h40", "translate", "pt",
         "Traduza para o japonês: Bom dia, sou a Fernanda dos Santos Lima. Minha filha Beatriz dos Santos Lima nasceu em 03/04/2019. Moramos em Ogawa 2-15-7, Yaizu-shi, Shizuoka.",
         ((P, "Fernanda dos Santos Lima"), (P, "Beatriz dos Santos Lima"), (B, "03/04/2019"), (A, "Ogawa 2-15-7, Yaizu-shi, Shizuoka"))),
    Case("h41", "translate", "pt",
         "ポルトガル語を日本語に：Meu marido, Rafael Nakamura Souza, perdeu o emprego. Nosso telefone é 080-9913-4420. Eu sou Juliana Souza.",
         ((P, "Rafael Nakamura Souza"), (T, "080-9913-4420"), (P, "Juliana Souza"))),
    Case("h42", "translate", "pt",
         "日本語に訳して：Prezados, o meu filho Gabriel da Costa precisa de vacina. Endereço: Kotobuki-cho 3-8-1, Yaizu. Obrigado, Antônio da Costa",
         ((P, "Gabriel da Costa"), (A, "Kotobuki-cho 3-8-1, Yaizu"), (P, "Antônio da Costa"))),
    Case("h43", "translate", "es",
         "Traducir al japonés: Buenos días, soy Lucía Fernández de la Torre, nacida el 22/09/1985. Vivo en 1-6-3 Oi, Yaizu-shi con mi hijo Diego.",
         ((P, "Lucía Fernández de la Torre"), (B, "22/09/1985"), (A, "1-6-3 Oi, Yaizu-shi"), (P, "Diego"))),
    Case("h44", "translate", "es",
         "スペイン語のメールを日本語に：Estimados señores, mi esposo Carlos Quispe Mamani tuvo un accidente. Mi número es 090-3345-7712. Atentamente, Rosa Quispe",
         ((P, "Carlos Quispe Mamani"), (T, "090-3345-7712"), (P, "Rosa Quispe"))),
    Case("h45", "translate", "es",
         "次の文を訳して：La señora del Valle llamó ayer. Su nieta, Valentina del Valle, necesita el certificado de residencia.",
         ((P, "del Valle"), (P, "Valentina del Valle"))),
    Case("h46", "translate", "vi",
         "ベトナム語を日本語に：Tôi là Trần Minh Khoa, sinh ngày 12 tháng 6 năm 1996. Vợ tôi là Nguyễn Thị Lan. Chúng tôi sống ở 5-2-8 Honmachi, Yaizu-shi.",
         ((P, "Trần Minh Khoa"), (B, "ngày 12 tháng 6 năm 1996"), (P, "Nguyễn Thị Lan"), (A, "5-2-8 Honmachi, Yaizu-shi"))),
    Case("h47", "translate", "vi",
         "Dịch sang tiếng Nhật: Con gái tôi, Phạm Bảo Ngọc, sinh ngày 3/5/2020, muốn vào nhà trẻ. Điện thoại: 070-8823-1190.",
         ((P, "Phạm Bảo Ngọc"), (B, "3/5/2020"), (T, "070-8823-1190"))),
    Case("h48", "translate", "vi-noacc",
         "訳して：Xin chao, toi ten la Hoang Duc Thinh, sinh ngay 8 thang 11 nam 1993. Chong toi la Do Quang Huy. Dia chi: 2-9-4 Nishiyaizu, Yaizu-shi.",
         ((P, "Hoang Duc Thinh"), (B, "ngay 8 thang 11 nam 1993"), (P, "Do Quang Huy"), (A, "2-9-4 Nishiyaizu, Yaizu-shi"))),
    Case("h49", "translate", "ko",
         "韓国語を日本語に：안녕하세요. 저는 정수빈입니다. 제 남편 한도윤이 다음 달에 일본에 옵니다. 주소는 시즈오카현 야이즈시 혼마치 2-5-9입니다.",
         ((P, "정수빈"), (P, "한도윤"), (A, "시즈오카현 야이즈시 혼마치 2-5-9"))),
    Case("h50", "translate", "ko",
         "日本語に訳してください：아들 윤서준은 2018년 4월 2일에 태어났습니다. 연락처는 090-6654-3321입니다. 엄마 윤하나 드림.",
         ((P, "윤서준"), (B, "2018년 4월 2일"), (T, "090-6654-3321"), (P, "윤하나"))),
    Case("h51", "translate", "ko",
         "次の韓国語のメモを訳して：최영희 씨의 딸 최유나가 야이즈시 오가와 3-1-1 로 이사했습니다.",
         ((P, "최영희"), (P, "최유나"), (A, "야이즈시 오가와 3-1-1"))),
    Case("h52", "translate", "zh",
         "中国語を日本語に：您好，我叫刘子涵，我的丈夫张伟明在工厂工作。我们住在静冈县烧津市本町5-3-2。电话：080-5512-6673。",
         ((P, "刘子涵"), (P, "张伟明"), (A, "静冈县烧津市本町5-3-2"), (T, "080-5512-6673"))),
    Case("h53", "translate", "zh",
         "请翻译成日语：我女儿陈思琪明年上小学，出生日期是2019年10月8日。我是陈国强。",
         ((P, "陈思琪"), (B, "2019年10月8日"), (P, "陈国强"))),
    Case("h54", "translate", "zh",
         "翻訳して：我母亲黄秀英今年八十岁，住在烧津市大井川町12-5，需要介护服务。",
         ((P, "黄秀英"), (A, "烧津市大井川町12-5"))),
    Case("h55", "translate", "fil",
         "フィリピンの方のメッセージを訳して：Magandang araw po. Ako si Maria Cristina Dela Cruz. Ang anak ko na si Joshua Dela Cruz ay may lagnat. Nakatira kami sa 3-8-15 Minato, Yaizu-shi.",
         ((P, "Maria Cristina Dela Cruz"), (P, "Joshua Dela Cruz"), (A, "3-8-15 Minato, Yaizu-shi"))),
    Case("h56", "translate", "fil",
         "Translate to Japanese: Hello, this is Jerome Bautista. My daughter Angelica Bautista (born 11/25/2014) needs a vaccination record. My number is 080-4421-7765.",
         ((P, "Jerome Bautista"), (P, "Angelica Bautista"), (B, "11/25/2014"), (T, "080-4421-7765"))),
    Case("h57", "translate", "ne",
         "ネパール語話者の英文を訳して：Namaste, I am Sabin Gurung. My wife Anita Gurung and I live at 1-10-6 Kurasawa, Yaizu-shi. Phone 090-7712-3049.",
         ((P, "Sabin Gurung"), (P, "Anita Gurung"), (A, "1-10-6 Kurasawa, Yaizu-shi"), (T, "090-7712-3049"))),
    Case("h58", "translate", "ja-Latn",
         "英語に訳した記録を日本語に戻して：Resident Kenji Matsumura (born April 3, 1961) asked about the property tax for his land at 880 Tajiri, Yaizu-shi, Shizuoka. His daughter Ayaka Matsumura will come instead.",
         ((P, "Kenji Matsumura"), (B, "April 3, 1961"), (A, "880 Tajiri, Yaizu-shi, Shizuoka"), (P, "Ayaka Matsumura"))),
    # -- no resident at all: only public words, which must stay --------------------------------
    Case("h59", "draft", "ja",
         "焼津市役所 市民課の窓口混雑のお知らせを作ってください。問い合わせは市民課（054-626-1111）。",
         (),
         ("焼津市役所", "市民課", "054-626-1111")),
    Case("h60", "summarize", "ja",
         "会議録を要約：焼津市 子育て支援課と焼津市立図書館の共催で、読み聞かせ会を大井川図書館で開く。担当は子育て支援課。",
         (),
         ("子育て支援課", "焼津市立図書館", "大井川図書館")),
    Case("h61", "translate", "ja",
         "英語に訳して：焼津市役所は12月29日から1月3日まで閉庁します。急ぎの届出は焼津市役所 本庁舎1階の守衛室へ。",
         (),
         ("焼津市役所",)),
    Case("h62", "draft", "ja",
         "Draft an English notice: The Yaizu City Hall Citizens Division (2-16-32 Honmachi, Yaizu-shi, Shizuoka, tel 054-626-1111) will be closed on Saturday.",
         (),
         ("Yaizu City Hall", "Citizens Division", "054-626-1111")),
    Case("h63", "translate", "ja",
         "中国語に訳して：焼津市保健センター（焼津市三ケ名1550）で健康相談を行います。申込みは健康づくり課へ。",
         (),
         ("焼津市保健センター", "健康づくり課")),
    Case("h64", "draft", "ja",
         "静岡県と焼津市の合同防災訓練のお知らせを、自治会長あてに作ってください。会場は焼津市総合体育館です。",
         (),
         ("静岡県", "焼津市総合体育館")),
)  # fmt: skip


def handwritten_prompts() -> list[Prompt]:
    """The cases as the bench's prompts: every occurrence of a value is a gold span (a
    value inside a longer one of the same case, 阿久津 in 阿久津 正樹, counts once for each
    place it is written)."""
    prompts = []
    for case in CASES:
        gold: list[Gold] = []
        for values, personal in ((case.personal, True), (tuple(("ORGANIZATION", v) for v in case.public), False)):  # fmt: skip
            for entity, value in values:
                start = case.text.find(value)
                if start < 0:
                    raise ValueError(f"{case.id}: {value!r} is not in the text")
                while start >= 0:
                    end = start + len(value)
                    gold.append(Gold(entity, start, end, value, _who(case, value), personal))
                    start = case.text.find(value, end)
        gold = [_as_container(g, gold) for g in gold]
        prompts.append(
            Prompt(
                id=case.id,
                task=case.task,
                family="handwritten",
                lang=case.lang,
                text=case.text,
                gold=tuple(gold),
                expect_block=False,
            )
        )
    return prompts


def _who(case: Case, value: str) -> str:
    """The person ``value`` names: the first value of its ``same`` group, or itself."""
    for group in case.same:
        if value in group:
            return f"{case.id}:{group[0]}"
    return f"{case.id}:{value}"


def _as_container(gold: Gold, golds: list[Gold]) -> Gold:
    """A personal value written inside a longer one belongs to that one's person."""
    if not gold.personal:
        return gold
    around = [
        g
        for g in golds
        if g.personal
        and g.start <= gold.start
        and gold.end <= g.end
        and g.end - g.start > gold.end - gold.start
    ]
    if not around:
        return gold
    widest = max(around, key=lambda g: g.end - g.start)
    return dataclasses.replace(gold, who=widest.who)
