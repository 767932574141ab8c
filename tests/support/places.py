"""The division codes of the Baoshan sample that the tests use, each written once.

All are official 2023 codes (``resources/divisions/baoshan_divisions_2023.csv``).  The sample
(``city-server init --sample baoshan``, ``sync/server/sample.py``) has accounts in
瓦房彝族苗族乡 of 隆阳区, 保山市: informants A and B of 瓦房社区 and 水沟洼村, an A of 党西村
(a B without a post), a township reviewer, county and city managers.  The other codes are
places outside that township, for the tests of what one may not see, and 板桥镇, a township
with no sample account.
"""

from __future__ import annotations

WAFANG = "530502208201"  # 瓦房社区: wafang_a (A) and wafang_b (B)
SHUIGOU = "530502208206"  # 水沟洼村: shuigou_a (A) and shuigou_b (B), same township
DANGXI = "530502208207"  # 党西村: dangxi_a is A; dangxi_b holds no post at first
WAFANG_TOWNSHIP = "530502208000"  # 瓦房彝族苗族乡: wafang_reviewer
XINZHAI = "530502106201"  # 莫卡社区, 潞江镇 (another township of 隆阳区)
LUJIANG = "530502106000"  # 潞江镇, another township of 隆阳区
GUDONG = "530581102201"  # 河头社区, 固东镇, 腾冲市 (another county)
BANQIAO_TOWNSHIP = "530502101000"  # 板桥镇, a township of 隆阳区 without sample accounts
BANQIAO = "530502101201"  # 板桥社区, 板桥镇
LONGYANG = "530502000000"  # 隆阳区
BAOSHAN = "530500000000"  # 保山市
