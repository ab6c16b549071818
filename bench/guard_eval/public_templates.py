"""Templates of public municipal texts, written the way city pages and staff write them.

Each family lists (template, held_out) pairs. Held-out templates (about a third, chosen
when the set was written, before any tuning) are reported apart: the guard was tuned
on the others only. Placeholders are filled by ``public_texts._Slots``; none of them is
a private person's data — the names are of councillors and mayors in their public role.
"""

from __future__ import annotations

H = True  # held out
T = False  # tuning

FACILITY_GUIDE: list[tuple[str, bool]] = [
    ("{FAC}\n所在地：{FAC_ZIP} {FAC_ADDR}\n電話：{FAC_TEL}\n{FAC_HOURS}", T),
    ("■{FAC}\n住所　{FAC_ADDR}\nＴＥＬ　{FAC_TEL}\n所管：{DEPT}", T),
    ("{FAC}（{FAC_ADDR}、電話{FAC_TEL}）", H),
    (
        "施設名：{FAC}\n住所：{FAC_ZIP}　{FAC_ADDR}\n電話番号：{FAC_TEL}\nFAX：{FAC_FAX}\n{FAC_HOURS}",
        T,
    ),
    (
        "{FAC}のご案内\n【所在地】{FAC_ADDR}\n【電話】{FAC_TEL}\n【開館時間】{HOURS}\n【休館日】{CLOSED}",
        H,
    ),
    ("{FAC}　{FAC_ADDR}　℡{FAC_TEL}", T),
    ("名称｜住所｜電話番号\n{FAC}｜{FAC_ADDR}｜{FAC_TEL}\n{FAC2}｜{FAC2_ADDR}｜{FAC2_TEL}", T),
    ("{FAC}へのアクセス\n{FAC_ZIP}\n{FAC_ADDR}\n問い合わせ：{DEPT}　{DEPT_TEL}", H),
    ("{FAC}は{FAC_ADDR}にあります。電話は{FAC_TEL}です。駐車場があります。", T),
    ("【{FAC_KIND}】{FAC}\n〒{FAC_ZIP_PLAIN}　{FAC_ADDR}\n電話　{FAC_TEL}（代表）", T),
    ("{FAC}（所在地：{FAC_ADDR}）は、{CLOSED}が休館日です。ご利用の際はご注意ください。", H),
    (
        "・{FAC}　{FAC_ADDR}　{FAC_TEL}\n・{FAC2}　{FAC2_ADDR}　{FAC2_TEL}\n・{FAC3}　{FAC3_ADDR}　{FAC3_TEL}",
        T,
    ),
    ("{FAC}\n{FAC_ADDR}\nTEL:{FAC_TEL}／FAX:{FAC_FAX}", H),
    (
        "{CITY}の{FAC_KIND}一覧（抜粋）\n{FAC}：{FAC_ADDR}（{FAC_TEL}）\n{FAC2}：{FAC2_ADDR}（{FAC2_TEL}）",
        T,
    ),
    # Written after the first measurement, to tune on (the held-out ones above untouched).
    ("{FAC}（{FAC_ZIP} {FAC_ADDR}　TEL {FAC_TEL}）をご利用ください。", T),
    ("利用できる施設：{FAC}、{FAC2}\n（所在地はそれぞれ{FAC_ADDR}、{FAC2_ADDR}）", T),
    ("{FAC}\n　住所：{FAC_ADDR}\n　電話：{FAC_TEL}\n　ファクス：{FAC_FAX}\n　休館日：{CLOSED}", T),
    ("{FAC}の電話番号は{FAC_TEL}、住所は{FAC_ADDR}です。", T),
]

SHELTERS: list[tuple[str, bool]] = [
    (
        "指定避難所\n{SHELTER}　{SHELTER_ADDR}　電話{SHELTER_TEL}\n{SHELTER2}　{SHELTER2_ADDR}　電話{SHELTER2_TEL}",
        T,
    ),
    (
        "【避難所】{SHELTER}（{SHELTER_ADDR}）\n開設時の連絡先：{SHELTER_TEL}\n問い合わせ：{DEPT}（{DEPT_TEL}）",
        T,
    ),
    (
        "地震・津波の際の避難先は{SHELTER}（{SHELTER_ADDR}）です。詳しくは地域防災課　{DEPT_TEL}まで。",
        H,
    ),
    ("No.{N}　{SHELTER}　{SHELTER_ADDR}　{SHELTER_TEL}", T),
    ("{CITY}防災マップ\n最寄りの避難所：{SHELTER}\n所在地：{SHELTER_ADDR}\n電話：{SHELTER_TEL}", H),
    ("大雨の際は{SHELTER}（{SHELTER_ADDR}）を開設します。開設状況は{DEPT}（{DEPT_TEL}）へ。", T),
    (
        "避難所名　{SHELTER}\n住所　{SHELTER_ADDR}\n連絡先　{SHELTER_TEL}\n対象災害　地震・津波、風水害",
        T,
    ),
]

EVENTS: list[tuple[str, bool]] = [
    (
        "{TOPIC}を開催します\n日時：{DATE} {TIME}\n会場：{FAC}（{FAC_ADDR}）\n"
        "定員：{N}人（先着順）\n参加費：無料\n申込み：{DEADLINE}までに{DEPT}（{DEPT_TEL}）へ電話で",
        T,
    ),
    (
        "【{TOPIC}】\n■とき　{DATE}　{TIME}\n■ところ　{FAC}\n　　　　{FAC_ADDR}\n■問い合わせ　{DEPT}\n"
        "　電話：{DEPT_TEL}　ＦＡＸ：{DEPT_FAX}\n　メール：{DEPT_MAIL}",
        T,
    ),
    (
        "{FAC}で「{TOPIC}」を行います。{DATE}、{TIME}。会場は{FAC_ADDR}です。"
        "申込みは、住所・氏名・電話番号を記入の上、{DEPT_MAIL}へ。",
        H,
    ),
    (
        "イベント名：{TOPIC}\n開催日：{DATE}\n場所：{FAC}（{FAC_ZIP} {FAC_ADDR}）\n"
        "主催：{CITY}{DEPT}\n連絡先：{DEPT_TEL}（平日8時30分～17時15分）",
        T,
    ),
    (
        "{CITY}{DEPT}からのお知らせ\n{TOPIC}の参加者を募集しています。\n会場：{FAC}\n"
        "所在地：{FAC_ADDR}\n問合せ先：{DEPT}　TEL {DEPT_TEL}　内線{EXT}",
        H,
    ),
    (
        "{DATE}に{FAC}で{TOPIC}があります。駐車場に限りがあるため、公共交通機関をご利用ください。"
        "（問い合わせ：{FAC_TEL}）",
        T,
    ),
    (
        "＜{TOPIC}＞\n日時　{DATE}　{TIME}\n会場　{FAC}　多目的ホール\n住所　{FAC_ADDR}\n"
        "持ち物　筆記用具\n申込・問合せ　{DEPT}　電話{DEPT_TEL}／ＦＡＸ{DEPT_FAX}",
        H,
    ),
    (
        "次のイベント告知をやさしい日本語に書き直してください。\n{TOPIC}\n日時：{DATE}\n"
        "会場：{FAC}（{FAC_ADDR}）\nお問い合わせ：{DEPT} {DEPT_TEL}",
        T,
    ),
]

NOTICES: list[tuple[str, bool]] = [
    (
        "{NOTICE}\n\n問い合わせ先\n{CITY_HALL} {DEPT}\n{HALL_ZIP} {HALL_ADDR}\n"
        "電話：{DEPT_TEL}（直通）　FAX：{DEPT_FAX}\nメール：{DEPT_MAIL}",
        T,
    ),
    ("{NOTICE}詳しくは、{DEPT}（電話{DEPT_TEL}、内線{EXT}）へお問い合わせください。", T),
    (
        "【お知らせ】{NOTICE}\nこのページに関するお問い合わせ\n{DEPT}\n〒{HALL_ZIP_PLAIN}　{HALL_ADDR}\n"
        "電話番号：{DEPT_TEL}　ファクス番号：{DEPT_FAX}\nお問い合わせはメールフォームをご利用ください。",
        H,
    ),
    ("{NOTICE}（担当：{DEPT}　{DEPT_TEL}）", T),
    (
        "{CITY_HALL}（{HALL_ADDR}、代表電話{HALL_TEL}）では、{NOTICE}",
        H,
    ),
    (
        "{NOTICE}\n※受付時間は平日の午前8時30分から午後5時15分までです。\n"
        "{CITY_HALL}　{DEPT}　{DEPT_TEL}",
        T,
    ),
    (
        "以下のお知らせを英訳してください。\n{NOTICE}\nお問い合わせ：{DEPT}（電話：{DEPT_TEL}、メール：{DEPT_MAIL}）",
        T,
    ),
    ("{NOTICE}なお、電話でのお問い合わせは{HALL_TEL}（代表）へおかけください。", H),
    (
        "市民の皆様へ\n{NOTICE}\n{CITY}{DEPT}\n電話 {DEPT_TEL}\nE-mail {DEPT_MAIL}",
        T,
    ),
]

FAQ: list[tuple[str, bool]] = [
    ("Q. {Q}\nA. {A}\n\n問い合わせ：{DEPT}　電話{DEPT_TEL}", T),
    ("質問：{Q}\n回答：{A}詳しくは{DEPT}（{DEPT_TEL}）までお問い合わせください。", T),
    (
        "{Q}\n{A}\nこのページに関するお問い合わせ：{CITY_HALL}{DEPT}　{HALL_ZIP}　{HALL_ADDR}　電話：{DEPT_TEL}",
        H,
    ),
    ("よくある質問\n【質問】{Q}\n【回答】{A}\n【担当課】{DEPT}（内線{EXT}）", T),
    ("Q：{Q}\nA：{A}手続きは{FAC}（{FAC_ADDR}）でもできます。", H),
    (
        "次のFAQの回答を、もっとわかりやすく書き直してください。\n質問：{Q}\n回答：{A}\n担当：{DEPT}　{DEPT_TEL}",
        T,
    ),
    ("{Q}\n→{A}（{DEPT}　{DEPT_MAIL}）", T),
    ("Q {Q}\nA {A}\n郵送先：{HALL_ZIP} {HALL_ADDR} {CITY_HALL} {DEPT}宛て", T),
    ("【FAQ】{Q}\n{A}\n受付窓口：{FAC}（{FAC_ADDR}）／電話 {FAC_TEL}", T),
    ("Ｑ　{Q}\nＡ　{A}\n◆問い合わせ　{DEPT}　☎{DEPT_TEL}", H),
    ("FAQ案を作りました。確認をお願いします。\nQ. {Q}\nA. {A}", T),
]

MINUTES: list[tuple[str, bool]] = [
    (
        "○議長（{COUNCILLOR}君）　ただいまから本日の会議を開きます。\n日程第{N}、一般質問を行います。",
        T,
    ),
    (
        "○{N}番（{COUNCILLOR}議員）　{CITY}の{MINUTE_TOPIC}について伺います。\n"
        "○議長（{COUNCILLOR2}君）　市長。\n○市長（{MAYOR}君）　お答えいたします。",
        T,
    ),
    (
        "{COUNCILLOR}議員の質問に対し、{STAFF_TITLE}が答弁しました。{MINUTE_TOPIC}については、"
        "多様な市民ニーズに対応するため、引き続き検討するとのことです。",
        H,
    ),
    (
        "出席者：市長、副市長、教育長、総務部長、{STAFF_TITLE}、{STAFF_TITLE2}\n議題：{MINUTE_TOPIC}について",
        T,
    ),
    ("○{STAFF_TITLE}（{SPEAKER}君）　{MINUTE_TOPIC}についてお答えします。", H),
    (
        "{DATE}の定例会で、{COUNCILLOR}議員から{MINUTE_TOPIC}について質問がありました。答弁案を作成してください。",
        T,
    ),
    (
        "会議録（抜粋）\n○{COUNCILLOR}議員　{MINUTE_TOPIC}の進捗はどうなっていますか。\n"
        "○{STAFF_TITLE}（{SPEAKER}君）　現在、関係課と協議しております。",
        H,
    ),
    ("出席者：{STAFF_TITLE}、{STAFF_TITLE2}、窓口係長\n欠席者：なし\n議題：{MINUTE_TOPIC}", T),
    ("{MAYOR}市長は記者会見で、{MINUTE_TOPIC}に取り組む考えを示した。", T),
    ("説明のため出席した者\n市長　{MAYOR}\n教育長　{SPEAKER}\n{STAFF_TITLE}　{SPEAKER2}", H),
    (
        "地方自治法第121条の規定により説明のため出席した者\n副市長　{SPEAKER}\n"
        "{STAFF_TITLE}　{SPEAKER2}\n職務のため出席した者\n議会事務局長　{SPEAKER3}",
        T,
    ),
    ("出席議員（{N}名）\n1番　{COUNCILLOR}\n2番　{COUNCILLOR2}\n3番　{COUNCILLOR3}", T),
    ("○副議長（{COUNCILLOR}君）　休憩前に引き続き会議を開きます。{COUNCILLOR2}議員。", T),
]

MANUAL: list[tuple[str, bool]] = [
    (
        "{FORM}の事務処理手順\n1. 窓口で本人確認書類を確認する。\n2. {LAW_REF}に該当するか確認する。\n"
        "3. 窓口係長が審査し、{STAFF_TITLE}の決裁を受ける。",
        T,
    ),
    (
        "本人等以外の者からの申出は、{LAW_REF}の規定により、正当な理由がある場合に限り交付できる。",
        T,
    ),
    (
        "{FORM}の様式第{N}号は、{DEPT}のホームページからダウンロードできます。記入例を参照してください。",
        H,
    ),
    (
        "【手順】{FORM}の受付\n・申請書の記載事項を確認\n・手数料{FEE}円を収納\n・システムに入力（内線{EXT}で{DEPT}に確認）",
        T,
    ),
    ("マニュアル改訂：{FORM}の審査では、{LAW_REF}の要件を満たすかを必ず確認すること。", H),
    ("{FORM}について、窓口で案内する内容をまとめてください。根拠は{LAW_REF}です。", T),
    (
        "子どもの医療費助成の申請は、{DEPT}で受け付けます。子ども一人につき一枚の申請書が必要です。",
        T,
    ),
    ("三　前二号に掲げる者のほか、{FORM}に関し正当な理由がある者", H),
    ("{FORM}の申請書は、{FAC}（{FAC_ADDR}）の窓口でも受け取れます。", T),
    (
        "窓口対応の注意：申請者の住所・氏名は必ず本人確認書類と照合すること。（{DEPT}　内線{EXT}）",
        T,
    ),
]

LAW_REFS = (
    "住民基本台帳法第12条の3第1項",
    "住民基本台帳法第12条第1項",
    "戸籍法第10条の2第1項",
    "戸籍法第10条第1項",
    "地方自治法第244条",
    "行政手続法第5条",
    "行政機関の保有する情報の公開に関する法律第5条",
    "公文書等の管理に関する法律第4条",
    "住民基本台帳法第22条",
)

TOPICS = (
    "親子で楽しむ読み聞かせ会",
    "防災講座「家庭でできる地震対策」",
    "健康づくり教室",
    "子育てサロン",
    "市民体育大会",
    "エンディングノート講座",
    "夏休み工作教室",
    "認知症サポーター養成講座",
    "消費生活講座",
    "地域交流ふれあいまつり",
    "ごみ減量出前講座",
    "パソコン入門教室",
    "歴史講演会",
    "子ども食堂ボランティア説明会",
    "男女共同参画セミナー",
)

NOTICES_BODY = (
    "年末年始の窓口業務は、12月29日から1月3日までお休みします。",
    "毎週木曜日は、市民課の窓口を午後7時まで延長しています。",
    "固定資産税の第3期の納期限は12月25日です。",
    "マイナンバーカードの休日交付を実施します。事前の予約が必要です。",
    "システム更新のため、証明書のコンビニ交付を一時停止します。",
    "燃やすごみの収集日が変わる地区があります。",
    "国民健康保険の保険証の更新時期です。新しい保険証は郵送でお届けします。",
    "児童手当の現況届の提出が必要な方には、6月上旬に通知をお送りします。",
    "台風接近に伴い、市内の公共施設を臨時休館とします。",
    "庁舎の駐車場工事のため、一部の区画が利用できません。",
    "市県民税の申告受付を2月16日から開始します。",
    "住民票の写しの請求には、本人確認書類が必要です。",
)

FAQ_QA = (
    (
        "住民票の写しを代理人が請求するには、何が必要ですか。",
        "委任状と代理人の本人確認書類が必要です。",
    ),
    (
        "転入届はいつまでに出せばよいですか。",
        "新しい住所に住み始めてから14日以内に届け出てください。",
    ),
    (
        "戸籍謄本を郵送で請求できますか。",
        "請求書、手数料分の定額小為替、返信用封筒、本人確認書類の写しを同封して郵送してください。",
    ),
    (
        "子どもが生まれたときの手続きを教えてください。",
        "出生届のほか、児童手当や子ども医療費の申請が必要です。",
    ),
    (
        "粗大ごみの出し方を教えてください。",
        "事前に申込みが必要です。収集日は申込み時にお知らせします。",
    ),
    (
        "マイナンバーカードの暗証番号を忘れました。",
        "本人確認書類をお持ちの上、窓口で再設定の手続きをしてください。",
    ),
    (
        "印鑑登録証をなくしました。",
        "廃止の届出をした上で、新たに登録をしてください。",
    ),
    (
        "市外に住んでいる人でも図書館を利用できますか。",
        "近隣市町にお住まいの方も利用者登録ができます。",
    ),
    (
        "住民基本台帳の閲覧はできますか。",
        "住民基本台帳法に定める場合に限り閲覧できます。",
    ),
    (
        "子育て支援センターは誰でも利用できますか。",
        "未就園児とその保護者の方ならどなたでも無料で利用できます。",
    ),
)

FORMS = (
    "住民票の写しの交付",
    "戸籍謄本等の交付",
    "転入届",
    "印鑑登録",
    "児童手当の認定請求",
    "国民健康保険の資格取得届",
    "介護保険の要介護認定申請",
    "税証明の交付",
)

MINUTE_TOPICS = (
    "公共施設の再編",
    "防災対策の強化",
    "子育て支援の充実",
    "地域公共交通の確保",
    "行政のデジタル化",
    "観光振興",
    "学校給食費の無償化",
    "空き家対策",
)

STAFF_TITLES = (
    "市民課長",
    "総務部長",
    "健康福祉部長",
    "子育て支援課長",
    "防災計画課長",
    "教育部長",
    "財政課長",
    "都市整備部長",
)

# Wrappers staff put around a public text when they ask the assistant about it.
WRAPPERS: list[tuple[str, bool]] = [
    ("{BODY}", T),
    ("次の文章を要約してください。\n{BODY}", T),
    ("以下を英語に翻訳してください。\n\n{BODY}", T),
    ("{BODY}\n\n上の内容を、高齢の方にもわかる文に直してください。", H),
    ("ホームページ掲載用に整えてください：\n{BODY}", H),
    ("この案内文を200字以内にまとめて。\n{BODY}", T),
]
