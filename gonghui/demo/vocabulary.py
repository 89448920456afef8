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

# --- Care: aid, needy-worker files, outreach, spring jobs, counselling ---------------

#: The standard aid programmes (aid.vocabularies.ProgrammeKind) and their rules as data:
#: name, kind, most per grant, monthly income per head that qualifies, share of the
#: out-of-pocket medical cost paid, for filed needy workers only, two county approvers above.
AID_PROGRAMMES = (
    ("帮扶救助", "assistance", "3000.00", "1500.00", None, True, None),
    ("金秋助学", "education", "5000.00", None, None, False, None),
    ("大病救助", "illness", "30000.00", None, "0.500", False, "10000.00"),
    ("冬送温暖", "winter", "1000.00", None, None, False, None),
    ("夏送清凉", "summer", None, None, None, False, None),
    ("春送岗位", "spring_jobs", None, None, None, False, None),
)

#: Reasons written on aid applications, per programme kind.
AID_REASONS = {
    "assistance": (
        "家庭收入低，生活困难",
        "本人患病，家庭开支大",
        "配偶失业，子女上学",
        "家中遭灾",
    ),
    "education": ("子女考入大学，学费难以负担", "单亲家庭，子女入学", "家庭困难，子女升学"),
    "illness": ("住院治疗，自付费用高", "长期透析，医疗负担重", "手术治疗，家庭困难"),
    "winter": ("困难职工冬季慰问", "一线职工冬季送温暖", "家庭困难，冬季取暖"),
}

#: Kinds of school of an education grant; a generated two-character name comes first.
SCHOOL_KINDS = ("大学", "理工大学", "师范大学", "医科大学", "职业技术学院", "财经学院")

BANKS = ("中国工商银行", "中国农业银行", "中国建设银行", "中国银行", "农村商业银行", "邮政储蓄银行")
#: Card number heads (BIN) the demo's bank accounts start with.
ACCOUNT_HEADS = ("622202", "622848", "621700", "621661", "622908", "621799")

#: Needy-worker files: situations, home-visit findings and review comments as staff write them.
NEEDY_SITUATIONS = (
    "本人患慢性病，长期服药，家庭收入低。",
    "配偶下岗，子女在校就读，家庭开支大。",
    "家中老人常年卧病，需要照料。",
    "因意外受伤暂时无法工作，家庭收入骤减。",
    "单亲抚养子女，收入仅够基本生活。",
)
NEEDY_FINDINGS = (
    "住房简陋，家具陈旧，家庭情况属实。",
    "走访邻居及单位，反映情况属实。",
    "查看病历及收入证明，与申请一致。",
)
VISITOR_TITLES = ("工会主席", "工会副主席", "帮扶中心干部", "女职工委员")

#: 夏送清凉 goods: item, unit, unit value (yuan).
COOLING_GOODS = (
    ("矿泉水", "箱", "24.00"),
    ("绿豆", "袋", "15.00"),
    ("藿香正气水", "盒", "12.50"),
    ("毛巾", "条", "8.00"),
    ("清凉油", "盒", "6.00"),
    ("西瓜", "个", "20.00"),
    ("遮阳帽", "顶", "18.00"),
)
OUTDOOR_SITES = (
    "环卫作业点",
    "道路施工现场",
    "快递分拣中心",
    "建筑工地",
    "公交场站",
    "外卖骑手驿站",
)
VISIT_GOODS = ("米、面、油", "棉被一床", "慰问品一份", "米、油和牛奶", "取暖器一台")
WISHES = (
    ("为上学的孩子添置一台护眼台灯", "150.00"),
    ("一床厚棉被过冬", "200.00"),
    ("一辆上下班骑的电动自行车", "1800.00"),
    ("给老母亲买一台血压计", "180.00"),
    ("孩子想要一套课外读物", "120.00"),
    ("一件冬季工作棉服", "260.00"),
    ("一台洗衣机", "1200.00"),
)
DONORS = ("爱心人士", "机关党员志愿者", "青年志愿者服务队", "退休教师")
FAIR_PLACES = ("职工服务中心", "人力资源市场", "文化广场", "职工之家")
FAIR_NAMES = ("春风行动专场招聘会", "春送岗位招聘会", "就业援助月招聘会", "新就业形态劳动者招聘会")
COUNSELLING_PLACES = ("职工服务中心心理咨询室", "工会职工之家谈心室")
COUNSELLING_LINK = "线上视频（预约后发送链接）"
SESSION_NOTES = (
    "来访者诉工作压力大、睡眠差，已做放松训练，建议两周后复诊。",
    "来访者情绪较前平稳，继续跟进家庭关系问题。",
)
