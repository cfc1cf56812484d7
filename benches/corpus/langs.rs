//! The 20 benchmark languages: code, name in its own script, and ~30 real words in that script
//! (vocabulary of GP registration: patient, doctor, address, appointment, interpreter, …), plus
//! the punctuation and digits each script uses, so the generated text looks like the real thing
//! to the Markdown parser, the heading-id code and the templates.

pub struct Lang {
    /// BCP 47 tag, as written in `site.yaml` and in file names (`page-001.pt-BR.md`).
    pub code: &'static str,
    /// The language's name in its own script.
    pub name: &'static str,
    /// `Some("rtl")` only where the code is not in the generator's built-in rtl list.
    pub dir: Option<&'static str>,
    /// Joins words: a space, or nothing for Chinese.
    pub space: &'static str,
    /// Ends a sentence.
    pub stop: &'static str,
    /// The script's comma.
    pub comma: &'static str,
    /// Native digits 0-9, where the script has its own and people use them.
    pub digits: Option<[char; 10]>,
    pub words: &'static [&'static str],
}

const ARABIC_DIGITS: [char; 10] = ['٠', '١', '٢', '٣', '٤', '٥', '٦', '٧', '٨', '٩'];
const PERSIAN_DIGITS: [char; 10] = ['۰', '۱', '۲', '۳', '۴', '۵', '۶', '۷', '۸', '۹'];
const BENGALI_DIGITS: [char; 10] = ['০', '১', '২', '৩', '৪', '৫', '৬', '৭', '৮', '৯'];
const GURMUKHI_DIGITS: [char; 10] = ['੦', '੧', '੨', '੩', '੪', '੫', '੬', '੭', '੮', '੯'];

const fn latin(code: &'static str, name: &'static str, words: &'static [&'static str]) -> Lang {
    Lang { code, name, dir: None, space: " ", stop: ".", comma: ",", digits: None, words }
}

pub const DEFAULT: &str = "en";

pub static LANGS: &[Lang] = &[
    latin(
        "en",
        "English",
        &[
            "patient", "doctor", "practice", "register", "address", "name", "health", "care",
            "appointment", "nurse", "surgery", "medicine", "help", "family", "child", "language",
            "interpreter", "form", "letter", "free", "right", "service", "number", "date",
            "phone", "safe", "welcome", "community", "guidance", "record",
        ],
    ),
    Lang {
        code: "ar",
        name: "العربية",
        dir: None,
        space: " ",
        stop: ".",
        comma: "،",
        digits: Some(ARABIC_DIGITS),
        words: &[
            "مريض", "طبيب", "عيادة", "تسجيل", "عنوان", "اسم", "صحة", "رعاية", "موعد", "ممرضة",
            "جراحة", "دواء", "مساعدة", "عائلة", "طفل", "لغة", "مترجم", "استمارة", "رسالة",
            "مجاني", "حق", "خدمة", "رقم", "تاريخ", "هاتف", "آمن", "مرحبا", "مجتمع", "إرشادات",
            "سجل",
        ],
    },
    Lang {
        code: "fa",
        name: "فارسی",
        dir: None,
        space: " ",
        stop: ".",
        comma: "،",
        digits: Some(PERSIAN_DIGITS),
        words: &[
            "بیمار", "پزشک", "مطب", "ثبت\u{200c}نام", "نشانی", "نام", "سلامت", "مراقبت", "نوبت",
            "پرستار", "جراحی", "دارو", "کمک", "خانواده", "کودک", "زبان", "مترجم", "فرم", "نامه",
            "رایگان", "حق", "خدمت", "شماره", "تاریخ", "تلفن", "امن", "خوش\u{200c}آمدید", "جامعه",
            "راهنما", "پرونده",
        ],
    },
    Lang {
        code: "ps",
        name: "پښتو",
        dir: None,
        space: " ",
        stop: ".",
        comma: "،",
        digits: Some(PERSIAN_DIGITS),
        words: &[
            "ناروغ", "ډاکټر", "کلینیک", "ثبت", "پته", "نوم", "روغتیا", "پاملرنه", "وخت", "نرس",
            "جراحي", "درمل", "مرسته", "کورنۍ", "ماشوم", "ژبه", "ژباړونکی", "فورمه", "لیک", "وړیا",
            "حق", "خدمت", "شمېره", "نېټه", "تلیفون", "خوندي", "هرکلی", "ټولنه", "لارښود", "ریکارډ",
        ],
    },
    Lang {
        code: "ur",
        name: "اردو",
        dir: None,
        space: " ",
        stop: "۔",
        comma: "،",
        digits: Some(PERSIAN_DIGITS),
        words: &[
            "مریض", "ڈاکٹر", "کلینک", "اندراج", "پتہ", "نام", "صحت", "دیکھ بھال", "ملاقات", "نرس",
            "سرجری", "دوا", "مدد", "خاندان", "بچہ", "زبان", "مترجم", "فارم", "خط", "مفت", "حق",
            "خدمت", "نمبر", "تاریخ", "فون", "محفوظ", "خوش آمدید", "برادری", "رہنمائی", "ریکارڈ",
        ],
    },
    Lang {
        code: "bn",
        name: "বাংলা",
        dir: None,
        space: " ",
        stop: "।",
        comma: ",",
        digits: Some(BENGALI_DIGITS),
        words: &[
            "রোগী", "ডাক্তার", "চিকিৎসালয়", "নিবন্ধন", "ঠিকানা", "নাম", "স্বাস্থ্য", "যত্ন",
            "সাক্ষাৎ", "নার্স", "অস্ত্রোপচার", "ওষুধ", "সাহায্য", "পরিবার", "শিশু", "ভাষা",
            "দোভাষী", "ফর্ম", "চিঠি", "বিনামূল্যে", "অধিকার", "সেবা", "নম্বর", "তারিখ", "ফোন",
            "নিরাপদ", "স্বাগতম", "সম্প্রদায়", "নির্দেশিকা", "নথি",
        ],
    },
    Lang {
        code: "pa",
        name: "ਪੰਜਾਬੀ",
        dir: None,
        space: " ",
        stop: "।",
        comma: ",",
        digits: Some(GURMUKHI_DIGITS),
        words: &[
            "ਮਰੀਜ਼", "ਡਾਕਟਰ", "ਕਲੀਨਿਕ", "ਰਜਿਸਟਰੇਸ਼ਨ", "ਪਤਾ", "ਨਾਮ", "ਸਿਹਤ", "ਦੇਖਭਾਲ", "ਮੁਲਾਕਾਤ",
            "ਨਰਸ", "ਸਰਜਰੀ", "ਦਵਾਈ", "ਮਦਦ", "ਪਰਿਵਾਰ", "ਬੱਚਾ", "ਭਾਸ਼ਾ", "ਦੁਭਾਸ਼ੀਆ", "ਫਾਰਮ", "ਚਿੱਠੀ",
            "ਮੁਫ਼ਤ", "ਹੱਕ", "ਸੇਵਾ", "ਨੰਬਰ", "ਤਾਰੀਖ਼", "ਫ਼ੋਨ", "ਸੁਰੱਖਿਅਤ", "ਸੁਆਗਤ", "ਭਾਈਚਾਰਾ", "ਸੇਧ",
            "ਰਿਕਾਰਡ",
        ],
    },
    Lang {
        code: "ti",
        name: "ትግርኛ",
        dir: None,
        space: " ",
        stop: "።",
        comma: "፣",
        digits: None,
        words: &[
            "ሕሙም", "ሓኪም", "ክሊኒክ", "ምዝገባ", "ኣድራሻ", "ስም", "ጥዕና", "ክንክን", "ቆጸራ", "ነርስ",
            "ሕክምና", "መድሃኒት", "ሓገዝ", "ስድራ", "ቆልዓ", "ቋንቋ", "ተርጓሚ", "ቅጥዒ", "ደብዳቤ", "ናጻ",
            "መሰል", "ኣገልግሎት", "ቁጽሪ", "ዕለት", "ተሌፎን", "ውሑስ", "እንቋዕ", "ማሕበረሰብ", "መምርሒ",
            "መዝገብ",
        ],
    },
    latin(
        "so",
        "Soomaali",
        &[
            "bukaan", "dhakhtar", "rugta", "diiwaangelin", "cinwaan", "magac", "caafimaad",
            "daryeel", "ballan", "kalkaaliye", "qalliin", "daawo", "caawimaad", "qoys", "ilmo",
            "luqad", "turjubaan", "foom", "warqad", "bilaash", "xuquuq", "adeeg", "lambar",
            "taariikh", "telefoon", "ammaan", "soo dhawoow", "bulsho", "hagitaan", "diiwaan",
        ],
    ),
    latin(
        "pl",
        "Polski",
        &[
            "pacjent", "lekarz", "przychodnia", "rejestracja", "adres", "imię", "zdrowie",
            "opieka", "wizyta", "pielęgniarka", "gabinet", "lek", "pomoc", "rodzina", "dziecko",
            "język", "tłumacz", "formularz", "list", "bezpłatny", "prawo", "usługa", "numer",
            "data", "telefon", "bezpieczny", "witamy", "społeczność", "wskazówki", "dokumentacja",
        ],
    ),
    latin(
        "ro",
        "Română",
        &[
            "pacient", "medic", "cabinet", "înregistrare", "adresă", "nume", "sănătate",
            "îngrijire", "programare", "asistentă", "chirurgie", "medicament", "ajutor", "familie",
            "copil", "limbă", "interpret", "formular", "scrisoare", "gratuit", "drept", "serviciu",
            "număr", "dată", "telefon", "sigur", "bun venit", "comunitate", "îndrumare", "dosar",
        ],
    ),
    latin(
        "uk",
        "Українська",
        &[
            "пацієнт", "лікар", "амбулаторія", "реєстрація", "адреса", "імʼя", "здоровʼя",
            "догляд", "прийом", "медсестра", "хірургія", "ліки", "допомога", "сімʼя", "дитина",
            "мова", "перекладач", "форма", "лист", "безкоштовно", "право", "послуга", "номер",
            "дата", "телефон", "безпечно", "ласкаво", "громада", "настанови", "запис",
        ],
    ),
    Lang {
        code: "zh-Hans",
        name: "简体中文",
        dir: None,
        space: "",
        stop: "。",
        comma: "，",
        digits: None,
        words: &[
            "病人", "医生", "诊所", "登记", "地址", "姓名", "健康", "护理", "预约", "护士", "手术",
            "药物", "帮助", "家庭", "儿童", "语言", "口译员", "表格", "信件", "免费", "权利",
            "服务", "号码", "日期", "电话", "安全", "欢迎", "社区", "指南", "记录",
        ],
    },
    latin(
        "es",
        "Español",
        &[
            "paciente", "médico", "consulta", "registro", "dirección", "nombre", "salud",
            "atención", "cita", "enfermera", "cirugía", "medicamento", "ayuda", "familia", "niño",
            "idioma", "intérprete", "formulario", "carta", "gratuito", "derecho", "servicio",
            "número", "fecha", "teléfono", "seguro", "bienvenida", "comunidad", "orientación",
            "historial",
        ],
    ),
    latin(
        "fr",
        "Français",
        &[
            "patient", "médecin", "cabinet", "inscription", "adresse", "nom", "santé", "soins",
            "rendez-vous", "infirmière", "chirurgie", "médicament", "aide", "famille", "enfant",
            "langue", "interprète", "formulaire", "lettre", "gratuit", "droit", "service",
            "numéro", "date", "téléphone", "sûr", "bienvenue", "communauté", "conseils", "dossier",
        ],
    ),
    latin(
        "pt-BR",
        "Português (Brasil)",
        &[
            "paciente", "médico", "clínica", "cadastro", "endereço", "nome", "saúde", "cuidado",
            "consulta", "enfermeira", "cirurgia", "remédio", "ajuda", "família", "criança",
            "idioma", "intérprete", "formulário", "carta", "gratuito", "direito", "serviço",
            "número", "data", "telefone", "seguro", "bem-vindo", "comunidade", "orientação",
            "prontuário",
        ],
    ),
    latin(
        "tr",
        "Türkçe",
        &[
            "hasta", "doktor", "muayenehane", "kayıt", "adres", "isim", "sağlık", "bakım",
            "randevu", "hemşire", "ameliyat", "ilaç", "yardım", "aile", "çocuk", "dil", "tercüman",
            "form", "mektup", "ücretsiz", "hak", "hizmet", "numara", "tarih", "telefon",
            "güvenli", "hoş geldiniz", "topluluk", "rehber", "dosya",
        ],
    ),
    // Kurdish as written by most Kurdish-speaking patients in the UK: Sorani, in Arabic script.
    // `ku` is not in the built-in rtl list, so it states its direction.
    Lang {
        code: "ku",
        name: "کوردی",
        dir: Some("rtl"),
        space: " ",
        stop: ".",
        comma: "،",
        digits: Some(ARABIC_DIGITS),
        words: &[
            "نەخۆش", "پزیشک", "نۆرینگە", "تۆمارکردن", "ناونیشان", "ناو", "تەندروستی", "چاودێری",
            "کات", "پەرستار", "نەشتەرگەری", "دەرمان", "یارمەتی", "خێزان", "منداڵ", "زمان", "وەرگێڕ",
            "فۆرم", "نامە", "بێبەرامبەر", "ماف", "خزمەتگوزاری", "ژمارە", "بەروار", "تەلەفۆن",
            "سەلامەت", "بەخێربێن", "کۆمەڵگا", "ڕێنمایی", "تۆمار",
        ],
    },
    Lang {
        code: "am",
        name: "አማርኛ",
        dir: None,
        space: " ",
        stop: "።",
        comma: "፣",
        digits: None,
        words: &[
            "ታካሚ", "ሐኪም", "ክሊኒክ", "ምዝገባ", "አድራሻ", "ስም", "ጤና", "እንክብካቤ", "ቀጠሮ", "ነርስ",
            "ቀዶ ሕክምና", "መድኃኒት", "እርዳታ", "ቤተሰብ", "ልጅ", "ቋንቋ", "አስተርጓሚ", "ቅጽ", "ደብዳቤ",
            "ነፃ", "መብት", "አገልግሎት", "ቁጥር", "ቀን", "ስልክ", "ደህንነት", "እንኳን", "ማህበረሰብ",
            "መመሪያ", "መዝገብ",
        ],
    },
    latin(
        "sw",
        "Kiswahili",
        &[
            "mgonjwa", "daktari", "zahanati", "usajili", "anwani", "jina", "afya", "huduma",
            "miadi", "muuguzi", "upasuaji", "dawa", "msaada", "familia", "mtoto", "lugha",
            "mkalimani", "fomu", "barua", "bure", "haki", "kazi", "nambari", "tarehe", "simu",
            "salama", "karibu", "jamii", "mwongozo", "kumbukumbu",
        ],
    ),
];
