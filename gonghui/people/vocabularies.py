"""The fixed vocabularies of a person's file."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Ethnicity(models.TextChoices):
    """The 56 ethnic groups and their codes, GB/T 3304-1991 (romanised names of the standard)."""

    HAN = "01", _("Han")
    MONGOL = "02", _("Mongol")
    HUI = "03", _("Hui")
    ZANG = "04", _("Zang (Tibetan)")
    UYGUR = "05", _("Uygur")
    MIAO = "06", _("Miao")
    YI = "07", _("Yi")
    ZHUANG = "08", _("Zhuang")
    BUYEI = "09", _("Buyei")
    CHOSEN = "10", _("Chosen (Korean)")
    MAN = "11", _("Man (Manchu)")
    DONG = "12", _("Dong")
    YAO = "13", _("Yao")
    BAI = "14", _("Bai")
    TUJIA = "15", _("Tujia")
    HANI = "16", _("Hani")
    KAZAK = "17", _("Kazak")
    DAI = "18", _("Dai")
    LI = "19", _("Li")
    LISU = "20", _("Lisu")
    VA = "21", _("Va")
    SHE = "22", _("She")
    GAOSHAN = "23", _("Gaoshan")
    LAHU = "24", _("Lahu")
    SUI = "25", _("Sui")
    DONGXIANG = "26", _("Dongxiang")
    NAXI = "27", _("Naxi")
    JINGPO = "28", _("Jingpo")
    KIRGIZ = "29", _("Kirgiz")
    TU = "30", _("Tu")
    DAUR = "31", _("Daur")
    MULAO = "32", _("Mulao")
    QIANG = "33", _("Qiang")
    BLANG = "34", _("Blang")
    SALAR = "35", _("Salar")
    MAONAN = "36", _("Maonan")
    GELAO = "37", _("Gelao")
    XIBE = "38", _("Xibe")
    ACHANG = "39", _("Achang")
    PUMI = "40", _("Pumi")
    TAJIK = "41", _("Tajik")
    NU = "42", _("Nu")
    UZBEK = "43", _("Uzbek")
    RUSS = "44", _("Russ")
    EWENKI = "45", _("Ewenki")
    DEANG = "46", _("Deang")
    BONAN = "47", _("Bonan")
    YUGUR = "48", _("Yugur")
    GIN = "49", _("Gin")
    TATAR = "50", _("Tatar")
    DERUNG = "51", _("Derung")
    OROQEN = "52", _("Oroqen")
    HEZHEN = "53", _("Hezhen")
    MONBA = "54", _("Monba")
    LHOBA = "55", _("Lhoba")
    JINO = "56", _("Jino")
    OTHER = "97", _("Other (not yet identified)")
    NATURALISED = "98", _("Chinese citizen of foreign origin")


#: The Chinese names of GB/T 3304-1991 in code order, for reading rosters (data, not UI text).
_GB3304_NAMES = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 "
    "拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 "
    "塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
#: "汉" and "汉族" alike → "01".
ETHNICITY_BY_CHINESE_NAME: dict[str, str] = {}
for _number, _name in enumerate(_GB3304_NAMES, start=1):
    ETHNICITY_BY_CHINESE_NAME[_name] = ETHNICITY_BY_CHINESE_NAME[_name + "族"] = f"{_number:02d}"
ETHNICITY_BY_CHINESE_NAME.update({"其他": "97", "外国血统": "98", "外国血统中国籍人士": "98"})


class Education(models.TextChoices):
    """Highest education completed (GB/T 4658-2006, grouped)."""

    PRIMARY = "primary", _("Primary school or less")
    JUNIOR_SECONDARY = "junior_secondary", _("Junior secondary school")
    SENIOR_SECONDARY = "senior_secondary", _("Senior secondary or vocational school")
    JUNIOR_COLLEGE = "junior_college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor's degree")
    MASTER = "master", _("Master's degree")
    DOCTORATE = "doctorate", _("Doctorate")


class NewFormGroup(models.TextChoices):
    """The eight groups of new-employment-form workers (新就业形态劳动者).

    They join through the township's joint union."""

    TRUCK_DRIVER = "truck_driver", _("Truck driver")
    COURIER = "courier", _("Courier")
    FOOD_DELIVERY = "food_delivery", _("Food-delivery rider")
    RIDE_HAILING = "ride_hailing", _("Ride-hailing driver")
    DOMESTIC = "domestic", _("Domestic worker")
    SECURITY = "security", _("Security guard")
    CARE = "care", _("Care worker")
    MALL_INFORMATION = "mall_information", _("Mall information staff")


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    TRANSFERRED = "transferred", _("Transferred out")
    LEFT = "left", _("Left")


class JoinStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class JoinChannel(models.TextChoices):
    STAFF = "staff", _("Entered by union staff")
    PORTAL = "portal", _("Worker portal")


class JoinRoute(models.TextChoices):
    """Why an application went to the union it went to."""

    EMPLOYER_UNION = "employer_union", _("The employer's union")
    JOINT_NO_UNION = "joint_no_union", _("The township's joint union: the employer has no union")
    JOINT_NEW_FORM = (
        "joint_new_form",
        _("The township's joint union: a new-employment-form worker"),
    )


class SensitiveField(models.TextChoices):
    """What a reveal showed in full: a person's ID number or phone (on the person's
    page), or a bank account of theirs (in the aid payment file for the bank)."""

    ID_NUMBER = "id_number", _("ID number")
    PHONE = "phone", _("mobile phone")
    BANK_ACCOUNT = "bank_account", _("bank account")


#: The fields the person's page reveals one at a time (people.views.PersonReveal).
PERSON_PAGE_FIELDS = (SensitiveField.ID_NUMBER, SensitiveField.PHONE)
