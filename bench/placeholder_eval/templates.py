"""Prompts as staff write them for drafting, summarizing, translating and proofreading,
with residents' data in slots (``prompts.render``).

Personal slots (gold): NAME, SURNAME, NAME2 (a family member), ADDR (the home in the
text's language), ADDR_JA, POSTAL, PHONE, EMAIL, BIRTH (in the text's language),
BIRTH_JA, BIRTH2 (NAME2's), MYNUMBER. Public slots (the municipality's own contacts,
tracked to see they stay as written): DIV (a 課's name), OFFICE_PHONE, OFFICE_MAIL,
FACILITY (a 焼津市 facility with its address). Plain slots: DATE, LANG (a language name
in Japanese).
"""

from __future__ import annotations

# -- drafting letters and notices to residents (Japanese) ----------------------------------
DRAFT_JA: tuple[str, ...] = (
    "{NAME}様あての、児童手当の現況届の提出をお願いする通知文を作って。送付先は〒{POSTAL} {ADDR}。問い合わせ先は{DIV}（{OFFICE_PHONE}）です。",
    "{ADDR}にお住まいの{NAME}さん（電話{PHONE}）へ、先日の地域清掃へのお礼状を書いてください。{SURNAME}さんは自治会長として参加されました。",
    "次の内容で{NAME}様への納付のお願いの文案を作成してください。住所：{ADDR}、生年月日：{BIRTH}、連絡先：{PHONE}。{SURNAME}様には前回の通知が届いていないようです。",
    "介護保険の認定結果通知の送付状を作って。宛先は{NAME}様（{ADDR}）。メール{EMAIL}にも写しを送ります。担当：{DIV}",
    "{NAME}様から住民票の写しの郵送請求がありました。交付に添える送り状を丁寧な文体で作ってください。送付先：〒{POSTAL}　{ADDR}",
    "保育園の入園内定のお知らせを{NAME}様あてに作成してください。お子さんは{NAME2}ちゃん（{BIRTH2}生）です。問い合わせは{DIV} {OFFICE_PHONE}まで。",
    "粗大ごみ収集の日程変更を{SURNAME}様に電話で伝えようとしたが不在だったので、メール（{EMAIL}）で送る文面を作って。{NAME}様の住所は{ADDR}です。",
    "{NAME}さんへ、窓口でお待たせしたことのお詫び状を書いてください。{NAME}さんの連絡先は{PHONE}です。",
    "件名：防災説明会のご案内\n{NAME} 様\n{ADDR}\n\n上記の方に、{DATE}の防災説明会（会場：{FACILITY}）の案内メールを作ってください。返信先は{OFFICE_MAIL}。",
    "高齢者見守り訪問の日程調整の手紙を書いて。宛先：{NAME}様（{BIRTH}生）、電話 {PHONE}。ご家族の{NAME2}様にも同じ内容を送ります。",
    "{DATE}の健康診断の受診勧奨はがきの文面。宛名は〒{POSTAL} {ADDR} {NAME} 様。{SURNAME}様は昨年度未受診。",
    "転入手続きのお礼と各種案内をまとめた文書を{NAME}様向けに作成。転入先：{ADDR}、メール：{EMAIL}。問い合わせは{DIV}（{OFFICE_MAIL}）へ。",
)

# -- summarizing case notes and call records (Japanese) ------------------------------------
SUMMARIZE_JA: tuple[str, ...] = (
    "次の相談記録を要約してください。\n相談日：{DATE}\n相談者：{NAME}（{BIRTH}生）\n住所：{ADDR}\n電話：{PHONE}\n内容：{SURNAME}さんは、母の介護認定の申請方法について相談。{SURNAME}さんの母は昨年から通院中。次回は{SURNAME}さんが主治医の意見書について確認のうえ来庁予定。",
    "電話対応記録を3行で要約して。\n{DATE} {NAME}様より入電（{PHONE}）。国民健康保険料の納付書が届かないとのこと。住所は{ADDR}で、転居届は提出済み。{SURNAME}様には再発行の手続きを案内した。",
    "窓口メモを要約：転入の{NAME}さん（{EMAIL}）。前住所は{ADDR}。子どもの{NAME2}さん（{BIRTH2}生）の就学手続きも希望。",
    "家庭訪問の記録を要約してください。対象者：{NAME}（{BIRTH}）、同居家族：{NAME2}。住所：〒{POSTAL} {ADDR}。{SURNAME}さん宅では室内の段差が多く、手すりの設置について{DIV}と調整が必要。",
    "苦情対応の経過をまとめて。申出人 {NAME} 様（{PHONE}）。自宅前（{ADDR}）の道路の陥没について。{SURNAME}様へは{DATE}に道路課から連絡済み。",
    "会議メモから、{NAME}さんの生活相談に関する要点だけ抜き出して。{NAME}さんは{ADDR}在住、連絡先 {PHONE}。担当は{DIV}。",
    "次の引継ぎメモを箇条書きに。\n・{NAME}様（{BIRTH}生）児童扶養手当の現況届が未提出\n・連絡先：{PHONE}／{EMAIL}\n・{SURNAME}様は平日日中は不在が多い",
    "相談内容を200字で要約して。{NAME}さんから、{NAME2}さん（長男）の障害福祉サービスの利用について相談があった。住所は{ADDR}。{SURNAME}さんは就労しており、相談は夕方を希望。",
)

# -- proofreading (Japanese) -----------------------------------------------------------------
PROOFREAD_JA: tuple[str, ...] = (
    "次の文書を校正してください。\n{NAME}様\n先日はお問い合わせいただきありがとうございまいた。{ADDR}あての書類の郵送は来週になる予定です。ご不明な点は{DIV}（{OFFICE_PHONE}）までお問合わせ下さい。",
    "公用文として直して：{NAME}様の申請書（{DATE}受付）について、記載の電話番号{PHONE}に連絡したが、つながりませんでしたので、郵送で通知いたしました。",
    "誤字を直して。〒{POSTAL} {ADDR}　{NAME}様　このたびは、市民活動へのご協力を頂き誠にありがとうございまます。",
)

# -- translating: Japanese letters to foreign residents --------------------------------------
TRANSLATE_FROM_JA: tuple[str, ...] = (
    "次の文を{LANG}に翻訳してください。\n{NAME}様\n{ADDR_JA}\n在留期間の更新に伴う住民票の手続きについてお知らせします。必要書類を持って{DIV}（{OFFICE_PHONE}）へお越しください。",
    "やさしい日本語に書き換えてください：{NAME}さん、あなたの国民健康保険の手続きが終わりました。保険証は{ADDR_JA}に郵送します。わからないことは{OFFICE_PHONE}に電話してください。",
    "{LANG}に訳して：{NAME}様のお子さん（{NAME2}さん、{BIRTH2}生）の予防接種のご案内です。{DATE}に{FACILITY}で行います。",
    "次のお知らせを{LANG}に翻訳して。{NAME}様（携帯 {PHONE}）：ごみの出し方についてご近所から相談がありました。分別表を同封しますので、ご確認ください。",
    "{LANG}への翻訳をお願いします。\n宛先：{NAME} 様（{EMAIL}）\n児童手当の申請書を受け付けました。{SURNAME}様の口座への振込は翌月からです。",
)

# -- translating: residents' own texts into Japanese, by language ------------------------------
TRANSLATE_TO_JA: dict[str, tuple[str, ...]] = {
    "en": (
        "Please translate into Japanese: Hello, my name is {NAME}. I moved to {ADDR} last month. My phone number is {PHONE} and my email is {EMAIL}. I would like to register my daughter {NAME2} for nursery school.",
        "次の英文メールを日本語に訳して。\nDear Sir or Madam,\nI am {NAME}, born on {BIRTH}. I live at {ADDR}. Could you tell me how to renew my health insurance card? Best regards, {NAME}",
        "日本語にしてください：This is {NAME} calling about my tax notice. Please ask for Mr. {SURNAME} when you call back at {PHONE}.",
    ),
    "ja-Latn": (
        "Translate into Japanese for our records: Dear Mr. {NAME}, thank you for your inquiry about the child allowance. We will send the form to {ADDR}. Mr. {SURNAME}, please contact us at {OFFICE_PHONE}.",
        "次の英文を日本語に訳して：My name is {NAME} and I was born on {BIRTH}. Please send the documents to {EMAIL}.",
    ),
    "pt": (
        "ポルトガル語の相談メールを日本語に訳してください。\nOlá, meu nome é {NAME}. Moro em {ADDR}. Meu telefone é {PHONE}. Nasci em {BIRTH}. Gostaria de saber sobre a vacina do meu filho {NAME2}.",
        "Traduza para o japonês: Prezada Sra. {SURNAME}, recebemos o pedido de {NAME}. O endereço de e-mail {EMAIL} está correto?",
    ),
    "es": (
        "スペイン語を日本語に：Hola, me llamo {NAME}. Vivo en {ADDR}. Mi correo es {EMAIL} y mi teléfono es {PHONE}.",
        "次の文を翻訳して：Señora {SURNAME}, su hija {NAME2} nació el {BIRTH2}. Por favor, traiga el certificado. Atentamente, {NAME}",
    ),
    "vi": (
        "ベトナム語の申出書を日本語に訳して：Tôi tên là {NAME}, sinh {BIRTH}, sống tại {ADDR}. Số điện thoại: {PHONE}.",
        "Dịch sang tiếng Nhật: Xin chào, tôi là {NAME}. Vợ tôi là {NAME2}. Email của tôi là {EMAIL}.",
    ),
    "vi-noacc": (
        "ベトナム語（アクセントなし）を訳して：Toi ten la {NAME}, sinh {BIRTH}, song tai {ADDR}. So dien thoai: {PHONE}.",
    ),
    "ko": (
        "韓国語を日本語に訳してください：제 이름은 {NAME}입니다. {ADDR}에 살고 있습니다. 전화번호는 {PHONE}입니다. 생년월일은 {BIRTH}입니다.",
        "次の文を日本語に：안녕하세요, {NAME}입니다. 딸 {NAME2}의 보육원 신청에 대해 문의드립니다. 이메일은 {EMAIL}입니다.",
    ),
    "zh": (
        "中国語の相談票を日本語に：我叫{NAME}，住在{ADDR}。我的电话是{PHONE}，出生日期是{BIRTH}。",
        "请翻译成日语：您好，我是{NAME}。我的孩子{NAME2}想上小学。我的邮箱是{EMAIL}。",
    ),
    "fil": (
        "英語（フィリピン）のメールを翻訳して：Good day! I am {NAME}, living at {ADDR}. You can reach me at {PHONE} or {EMAIL}. My son {NAME2} will enter school in April.",
    ),
}

# -- never sent: an identifier that blocks in every task --------------------------------------
NEVER: tuple[str, ...] = (
    "{NAME}様（個人番号 {MYNUMBER}）への通知文を作って。住所は{ADDR}。",
    "次の相談記録を要約：相談者 {NAME}、マイナンバー{MYNUMBER}、電話{PHONE}。",
)

LANGUAGE_NAMES = {
    "en": "英語",
    "ja-Latn": "英語",
    "pt": "ポルトガル語",
    "es": "スペイン語",
    "vi": "ベトナム語",
    "vi-noacc": "ベトナム語",
    "ko": "韓国語",
    "zh": "中国語（簡体字）",
    "fil": "英語",
}
