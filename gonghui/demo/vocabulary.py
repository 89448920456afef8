"""Generic vocabulary the demo county is assembled from.

Nothing here names a real place, person or company: place names are generated
from Faker's pieces at run time; what stays in code are common words of the
trades, the usual names of public institutions and the characters shop names
(字号) are commonly made of.
"""

#: Characters that end an administrative name and would read wrong inside a
#: generated place name ("…区镇").
ADMINISTRATIVE_CHARACTERS = frozenset("区市县州盟特旗省镇乡村街道")

#: Characters of trade names (字号), two of which make a brand.
BRAND_CHARACTERS = (
    "鑫华盛源泰恒达瑞丰宏兴隆昌信诚德金宇博创嘉汇通远荣康安永新天润祥和顺益佳明正中东海鼎立美欣"
    "豪亿辉腾振宝万众合联凯旭晟峰长"
)

#: Industry unions under the county federation: code, name after the county's
#: name, and the GB/T 4754 sections whose grassroots unions may stand under it.
INDUSTRY_UNIONS = (
    ("I01", "教育工会", "P"),
    ("I02", "卫生工会", "Q"),
    ("I03", "交通运输工会", "G"),
    ("I04", "建设工会", "E"),
    ("I05", "财贸工会", "FHJ"),
    ("I06", "农林水利工会", "AN"),
)

#: The eight groups of new business forms (新就业形态): key (a value of
#: people.vocabularies.NewFormGroup), the group's name, the code of their joint
#: union, and the industry union it stands under ("" = directly under the county
#: federation).
NEW_FORM_GROUPS = (
    ("truck_driver", "货车司机", "N01", "I03"),
    ("courier", "快递员", "N02", "I03"),
    ("food_delivery", "外卖配送员", "N03", "I03"),
    ("ride_hailing", "网约车司机", "N04", "I03"),
    ("domestic", "家政服务员", "N05", ""),
    ("security", "保安员", "N06", ""),
    ("care", "护工护理员", "N07", ""),
    ("mall_information", "商场信息员", "N08", "I05"),
)

#: Trades of enterprises (the 行业 part of a company name) per GB/T 4754 section.
TRADES = {
    "A": ("农业开发", "生态农业", "畜牧养殖", "林业发展", "水产养殖", "果蔬种植"),
    "B": ("矿业", "石材", "砂石"),
    "C": (
        "机械制造",
        "纺织",
        "服装",
        "食品",
        "电子",
        "塑料制品",
        "五金制品",
        "家具",
        "新型建材",
        "包装材料",
        "汽车配件",
        "印务",
        "化工",
        "制药",
        "木业",
        "铸造",
    ),
    "D": ("供水", "燃气", "热力", "新能源"),
    "E": ("建筑工程", "建筑安装", "装饰工程", "市政工程", "路桥工程", "水利工程"),
    "F": ("商贸", "百货", "超市", "建材销售", "农资", "医药连锁", "汽车销售", "粮油贸易"),
    "G": ("物流", "货运", "快递", "客运", "网约车服务", "同城配送", "仓储"),
    "H": ("餐饮管理", "酒店", "宾馆", "农家乐"),
    "J": ("小额贷款", "融资担保"),
    "K": ("房地产开发", "物业管理"),
    "L": ("保安服务", "人力资源", "商务咨询", "广告", "会展服务"),
    "M": ("检测", "工程设计", "技术研究"),
    "N": ("环境卫生", "园林绿化", "环保工程"),
    "O": ("家政服务", "汽车维修", "美容美发", "洗涤服务"),
    "P": ("教育咨询", "职业技能培训"),
    "Q": ("养老服务", "护理服务", "医疗管理"),
    "R": ("文化传媒", "体育发展", "影视"),
}

#: Trades whose workers belong to one of the eight groups of new business forms.
NEW_FORM_TRADES = {
    "货运": "truck_driver",
    "物流": "truck_driver",
    "货运部": "truck_driver",
    "快递": "courier",
    "同城配送": "food_delivery",
    "网约车服务": "ride_hailing",
    "家政服务": "domestic",
    "保安服务": "security",
    "养老服务": "care",
    "护理服务": "care",
    "百货": "mall_information",
}

#: Enterprise sections (GB/T 4754) and their weights: manufacturing, construction,
#: trade, transport and catering dominate a county's employer register.
ENTERPRISE_SECTIONS = {
    "C": 28,
    "F": 18,
    "E": 10,
    "H": 9,
    "G": 8,
    "L": 6,
    "O": 5,
    "I": 3,
    "K": 3,
    "A": 3,
    "M": 2,
    "Q": 1.5,
    "N": 1,
    "P": 1,
    "R": 1,
    "B": 0.5,
    "D": 0.5,
    "J": 0.5,
}

#: Legal forms of an enterprise name (组织形式), most common first.
COMPANY_FORMS = ("有限公司",) * 6 + ("有限责任公司", "股份有限公司")

#: Individual businesses (个体工商户): section and the shop words of their names.
SHOPS = {
    "F": ("便利店", "五金店", "超市", "建材经营部", "百货商行", "水果店"),
    "H": ("餐馆", "饭店", "小吃店", "面馆"),
    "O": ("理发店", "汽车修理部", "家电维修部", "洗衣店"),
    "C": ("加工坊", "木器加工厂", "服装加工店"),
    "G": ("货运部",),
}
SHOP_SECTIONS = {"F": 45, "H": 30, "O": 15, "C": 5, "G": 5}

#: Farmer cooperatives (农民专业合作社): what they grow or raise.
COOPERATIVE_CROPS = ("蔬菜种植", "水果种植", "畜禽养殖", "粮食种植", "茶叶", "中药材种植")

#: Other registrations (registration authority Y).
OTHER_STATIONS = ("农机服务站", "兽医服务站", "水利服务站")

#: Public institutions (事业单位) of the county: name after the county's name,
#: section and employee range.
COUNTY_INSTITUTIONS = (
    ("人民医院", "Q", (300, 900)),
    ("第一中学", "P", (150, 300)),
    ("中医医院", "Q", (150, 400)),
    ("实验小学", "P", (60, 150)),
    ("妇幼保健院", "Q", (60, 200)),
    ("第二中学", "P", (100, 250)),
    ("职业中等专业学校", "P", (80, 200)),
    ("疾病预防控制中心", "Q", (30, 80)),
    ("实验幼儿园", "P", (30, 80)),
    ("环境卫生管理所", "N", (40, 120)),
    ("社会保险服务中心", "S", (20, 60)),
    ("公共就业服务中心", "S", (15, 40)),
    ("农业技术推广中心", "A", (20, 60)),
    ("文化馆", "R", (10, 30)),
    ("图书馆", "R", (10, 30)),
)

#: Public institutions of each township or street: name after the township's name.
TOWNSHIP_INSTITUTIONS = (
    ("中心小学", "P", (30, 90)),
    ("中学", "P", (40, 120)),
    ("卫生院", "Q", (20, 80)),
    ("中心幼儿园", "P", (10, 40)),
    ("农业综合服务中心", "S", (5, 20)),
)

#: Province-level parts of administrative division codes (GB/T 2260): the first
#: two digits. Only the prefix is real; the rest of the demo's codes is drawn.
PROVINCE_PREFIXES = tuple(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65".split()
)

# --- Workers ----------------------------------------------------------------------

#: Ethnic groups (GB/T 3304 codes) other than Han and their relative weights in
#: the demo's workforce; Han ("01") makes up the rest.
HAN_SHARE = 0.92
MINORITY_WEIGHTS = {
    "03": 20,  # Hui
    "11": 18,  # Man
    "08": 15,  # Zhuang
    "15": 10,  # Tujia
    "06": 10,  # Miao
    "07": 8,  # Yi
    "02": 6,  # Mongol
    "10": 4,  # Chosen
    "12": 4,  # Dong
    "13": 3,  # Yao
    "14": 2,  # Bai
}

#: Highest education (people.vocabularies.Education values) and weights.
EDUCATION_WEIGHTS = {
    "primary": 6,
    "junior_secondary": 30,
    "senior_secondary": 30,
    "junior_college": 18,
    "bachelor": 13,
    "master": 2.5,
    "doctorate": 0.5,
}

#: Jobs of workers, by GB/T 4754 section of the employer, and of the eight groups.
JOBS = {
    "A": ("种植工", "养殖员", "农机手", "技术员"),
    "B": ("采掘工", "爆破员", "机修工"),
    "C": ("操作工", "装配工", "质检员", "车间主任", "技术员", "仓管员", "焊工", "电工"),
    "D": ("运行值班员", "抄表员", "维修工"),
    "E": ("施工员", "钢筋工", "瓦工", "木工", "安全员", "项目经理"),
    "F": ("营业员", "收银员", "理货员", "销售代表", "店长"),
    "G": ("驾驶员", "装卸工", "调度员", "仓管员"),
    "H": ("厨师", "服务员", "前台接待", "客房服务员"),
    "I": ("软件工程师", "运维工程师", "测试工程师", "产品经理"),
    "J": ("信贷员", "柜员", "风控专员"),
    "K": ("置业顾问", "物业管理员", "保洁员"),
    "L": ("人事专员", "业务员", "行政助理"),
    "M": ("检测员", "设计师", "研究员"),
    "N": ("环卫工", "绿化工", "巡查员"),
    "O": ("维修工", "美发师", "洗衣工"),
    "P": ("教师", "保育员", "教务员"),
    "Q": ("医生", "护士", "药剂师", "护理员"),
    "R": ("编辑", "教练员", "策划"),
    "S": ("办事员", "科员"),
}
NEW_FORM_JOBS = {
    "truck_driver": "货车司机",
    "courier": "快递员",
    "food_delivery": "外卖骑手",
    "ride_hailing": "网约车司机",
    "domestic": "家政服务员",
    "security": "保安员",
    "care": "护理员",
    "mall_information": "商场信息员",
}
#: Share of men among the workers of each group of new business forms.
NEW_FORM_MEN = {
    "truck_driver": 0.95,
    "courier": 0.85,
    "food_delivery": 0.9,
    "ride_hailing": 0.9,
    "domestic": 0.1,
    "security": 0.9,
    "care": 0.2,
    "mall_information": 0.4,
}

#: Why a member left the union (recorded on the membership), as staff write it.
LEAVE_REASONS = ("调离本单位，未转入新单位工会", "退休", "本人申请退会", "出国定居")
