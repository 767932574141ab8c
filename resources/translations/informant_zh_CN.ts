<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>AboutDialog</name>
        <message>
            <location filename="../../informant_app/ui/help/about_dialog.py" line="64" />
            <source>About Disaster information reporting</source>
            <extracomment>The app's name in Chinese and in English (both always shown).</extracomment>
            <translation>关于灾情信息报送</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/help/about_dialog.py" line="75" />
            <source>Version {version}</source>
            <translation>版本 {version}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/help/about_dialog.py" line="78" />
            <source>Not signed in</source>
            <translation>未登录</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/help/about_dialog.py" line="80" />
            <source>{url}
signed in as {user} ({role})</source>
            <translation>{url}
登录账号：{user}（{role}）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/help/about_dialog.py" line="85" />
            <source>No log file</source>
            <translation>无日志文件</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/help/about_dialog.py" line="91" />
            <source>City server:</source>
            <translation>市级服务器：</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/help/about_dialog.py" line="92" />
            <source>Data folder:</source>
            <translation>数据文件夹：</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/help/about_dialog.py" line="93" />
            <source>Log folder:</source>
            <translation>日志文件夹：</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/help/about_dialog.py" line="94" />
            <source>CA certificate:</source>
            <translation>CA 证书：</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/help/about_dialog.py" line="106" />
            <source>&amp;Copy diagnostic information</source>
            <translation>复制诊断信息(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/help/about_dialog.py" line="126" />
            <source>The city's CA certificate file cannot be read; choose it again on the set-up page.</source>
            <translation>无法读取市里的 CA 证书文件，请在设置页重新选择。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/help/about_dialog.py" line="129" />
            <source>None: the usual certificate authorities are trusted</source>
            <translation>无：信任通常的证书颁发机构</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/help/about_dialog.py" line="130" />
            <source>{path}
SHA-256 {fingerprint}</source>
            <translation>{path}
SHA-256 {fingerprint}</translation>
        </message>
    </context>
    <context>
        <name>AbsenceDialog</name>
        <message>
            <location filename="../../informant_app/ui/duty/absence_dialog.py" line="82" />
            <source>Mark me off duty</source>
            <extracomment>The longest absence the server accepts. The longest reason accepted.</extracomment>
            <translation>登记本人离岗</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/absence_dialog.py" line="82" />
            <source>Mark A off duty</source>
            <translation>登记 A 离岗</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/absence_dialog.py" line="95" />
            <source>{post} (A: {name})</source>
            <translation>{post}（A：{name}）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/absence_dialog.py" line="110" />
            <source>Why A cannot be on duty; B and the township read this.</source>
            <translation>A 不能在岗的原因；B 和乡镇都会看到。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/absence_dialog.py" line="119" />
            <source>&amp;Post</source>
            <translation>岗位(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/absence_dialog.py" line="125" />
            <source>&amp;Why</source>
            <translation>离岗类型(&amp;W)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/absence_dialog.py" line="126" />
            <source>&amp;From</source>
            <translation>起(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/absence_dialog.py" line="127" />
            <source>&amp;To</source>
            <translation>止(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/absence_dialog.py" line="128" />
            <source>&amp;Reason (required)</source>
            <translation>原因(&amp;R)（必填）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/absence_dialog.py" line="136" />
            <source>&amp;Mark off duty</source>
            <translation>登记离岗(&amp;M)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/absence_dialog.py" line="165" />
            <source>You are off duty at {post} for this time; your B is on duty meanwhile.</source>
            <translation>您在此期间离开{post}的岗位，由您的 B 值班。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/absence_dialog.py" line="171" />
            <source>{name}, A of {post}, is off duty for this time; B is on duty meanwhile.</source>
            <translation>{post}的 A（{name}）在此期间离岗，由 B 值班。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/absence_dialog.py" line="207" />
            <source>“To” must be after “from”.</source>
            <translation>“止”必须晚于“起”。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/absence_dialog.py" line="209" />
            <source>An absence lasts at most 90 days.</source>
            <translation>离岗最长 90 天。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/absence_dialog.py" line="211" />
            <source>A reason is required.</source>
            <translation>必须填写原因。</translation>
        </message>
    </context>
    <context>
        <name>AccountDialog</name>
        <message>
            <location filename="../../informant_app/ui/admin/account_dialog.py" line="61" />
            <source>New account</source>
            <translation>新建账号</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/account_dialog.py" line="78" />
            <source>letters, digits, _ . -</source>
            <translation>字母、数字、_ . -</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/account_dialog.py" line="85" />
            <source>Issue a &amp;set-up code for the new account</source>
            <translation>同时为新账号发放设置码(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/account_dialog.py" line="93" />
            <source>&amp;Role</source>
            <translation>角色(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/account_dialog.py" line="94" />
            <source>&amp;Place</source>
            <translation>地点(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/account_dialog.py" line="95" />
            <source>&amp;User name</source>
            <translation>用户名(&amp;U)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/account_dialog.py" line="96" />
            <source>&amp;Name</source>
            <translation>姓名(&amp;N)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/account_dialog.py" line="97" />
            <source>P&amp;hone</source>
            <translation>手机(&amp;H)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/account_dialog.py" line="98" />
            <source>&amp;Backup phone</source>
            <translation>备用电话(&amp;B)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/account_dialog.py" line="103" />
            <source>Create</source>
            <translation>创建</translation>
        </message>
    </context>
    <context>
        <name>AccountsModel</name>
        <message>
            <location filename="../../informant_app/ui/admin/accounts_model.py" line="97" />
            <source>Name</source>
            <extracomment>The role whose value the page's proxy sorts by (times by time, not by their text). Finds the name of a division code (``None``: unknown here).</extracomment>
            <translation>姓名</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/accounts_model.py" line="98" />
            <source>User name</source>
            <translation>用户名</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/accounts_model.py" line="99" />
            <source>Role</source>
            <translation>角色</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/accounts_model.py" line="100" />
            <source>Place</source>
            <translation>地点</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/accounts_model.py" line="101" />
            <source>Post</source>
            <translation>岗位</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/accounts_model.py" line="102" />
            <source>Phone</source>
            <translation>电话</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/accounts_model.py" line="103" />
            <source>Devices</source>
            <translation>设备</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/accounts_model.py" line="104" />
            <source>Last sync</source>
            <translation>最后同步</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/accounts_model.py" line="105" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/accounts_model.py" line="146" />
            <source>Disabled</source>
            <translation>已停用</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/accounts_model.py" line="146" />
            <source>Active</source>
            <translation>正常</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/accounts_model.py" line="164" />
            <source>none</source>
            <translation>无</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/accounts_model.py" line="166" />
            <source>{total}, {signed} signed in</source>
            <translation>{total} 台，{signed} 台已登录</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/accounts_model.py" line="173" />
            <source>{name}: last seen {time}{state}</source>
            <translation>{name}：最后联系 {time}{state}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/accounts_model.py" line="176" />
            <source> (signed out)</source>
            <translation>（已登出）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/accounts_model.py" line="180" />
            <source>This account has not signed in on any device.</source>
            <translation>该账号尚未在任何设备上登录。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/accounts_model.py" line="184" />
            <source>Backup phone: {phone}</source>
            <translation>备用电话：{phone}</translation>
        </message>
    </context>
    <context>
        <name>AdjustmentDialog</name>
        <message>
            <location filename="../../informant_app/ui/township/adjustment_dialog.py" line="39" />
            <source>Add a township adjustment</source>
            <translation>添加乡镇调整</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/adjustment_dialog.py" line="42" />
            <source>{title}
The township total is the sum of the approved village reports. A difference the villages do not explain is an adjustment with its reason.</source>
            <translation>{title}
乡镇合计等于已通过审核的各村报告之和。各村报告无法说明的差额，作为调整录入并写明理由。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/adjustment_dialog.py" line="55" />
            <source>e.g. 12 or -3</source>
            <translation>例如 12 或 -3</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/adjustment_dialog.py" line="59" />
            <source>Why the township figure differs (required)</source>
            <translation>乡镇数据为何与各村之和不同（必填）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/adjustment_dialog.py" line="63" />
            <source>&amp;Indicator</source>
            <translation>指标(&amp;I)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/adjustment_dialog.py" line="64" />
            <source>&amp;Change (+/−)</source>
            <translation>调整量(&amp;C)（+/−）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/adjustment_dialog.py" line="65" />
            <source>&amp;Reason</source>
            <translation>理由(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/adjustment_dialog.py" line="70" />
            <source>Add adjustment</source>
            <translation>添加调整</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/adjustment_dialog.py" line="109" />
            <source>Type a change other than zero.</source>
            <translation>请填写不为零的调整量。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/adjustment_dialog.py" line="111" />
            <source>A reason is required.</source>
            <translation>必须填写理由。</translation>
        </message>
    </context>
    <context>
        <name>Admin</name>
        <message>
            <location filename="../../informant_app/ui/admin/print_sheet.py" line="57" />
            <location filename="../../informant_app/ui/admin/print_sheet.py" line="126" />
            <source>Set-up codes</source>
            <extracomment>Dots per inch of the PDF (text is vector; this sets the layout's units). The page margins in millimetres.</extracomment>
            <translation>设置码发放表</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/print_sheet.py" line="58" />
            <source>The codes work once, until {time}.</source>
            <translation>设置码只能使用一次，有效期至 {time}。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/print_sheet.py" line="62" />
            <source>Server: {url}</source>
            <translation>服务器：{url}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/print_sheet.py" line="66" />
            <source>On the new computer, the app's set-up page takes the code under "I have a set-up code" with the server and the user name.</source>
            <translation>在新电脑上，打开软件的设置页面，选择“我有设置码”，填入服务器地址、用户名和设置码。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/print_sheet.py" line="72" />
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/print_sheet.py" line="73" />
            <source>Post</source>
            <translation>岗位</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/print_sheet.py" line="74" />
            <location filename="../../informant_app/ui/admin/labels.py" line="92" />
            <source>A/B</source>
            <translation>A/B角</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/print_sheet.py" line="75" />
            <location filename="../../informant_app/ui/admin/labels.py" line="87" />
            <source>Role</source>
            <translation>角色</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/print_sheet.py" line="76" />
            <source>User name</source>
            <translation>用户名</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/print_sheet.py" line="77" />
            <source>Set-up code</source>
            <translation>设置码</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/print_sheet.py" line="78" />
            <source>Signature</source>
            <translation>签收</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="25" />
            <source>Village informant</source>
            <extracomment>The dash of an empty cell.</extracomment>
            <translation>村（社区）信息员</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="26" />
            <source>Township reviewer</source>
            <translation>乡镇审核人员</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="27" />
            <source>County administrator</source>
            <translation>县（区）管理员</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="28" />
            <source>City administrator</source>
            <translation>市级管理员</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="36" />
            <source>Province</source>
            <translation>省</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="37" />
            <source>City</source>
            <translation>市</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="38" />
            <source>County</source>
            <translation>县（区）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="39" />
            <source>Township</source>
            <translation>乡镇</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="40" />
            <source>Village</source>
            <translation>村（社区）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="48" />
            <source>New account</source>
            <translation>新建账号</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="49" />
            <source>Update</source>
            <translation>更新</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="50" />
            <location filename="../../informant_app/ui/admin/labels.py" line="83" />
            <source>Unchanged</source>
            <translation>不变</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="51" />
            <location filename="../../informant_app/ui/admin/labels.py" line="84" />
            <source>Refused</source>
            <translation>拒绝</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="59" />
            <source>Account created</source>
            <translation>新建账号</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="60" />
            <source>Account changed</source>
            <translation>修改账号</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="61" />
            <source>Account disabled</source>
            <translation>停用账号</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="62" />
            <source>Account enabled again</source>
            <translation>重新启用账号</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="63" />
            <source>Device signed out</source>
            <translation>登出设备</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="64" />
            <source>Devices signed out</source>
            <translation>登出设备</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="65" />
            <source>Set-up code issued</source>
            <translation>发放设置码</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="66" />
            <source>Set-up code sheet issued</source>
            <translation>批量发放设置码</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="67" />
            <source>Register imported</source>
            <translation>导入花名册</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="68" />
            <source>Post assigned</source>
            <translation>分配岗位</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="69" />
            <source>Assignment ended</source>
            <translation>结束任职</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="70" />
            <source>Division table imported</source>
            <translation>导入区划表</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="78" />
            <source>Dry run</source>
            <translation>试导入</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="79" />
            <source>Written</source>
            <translation>已写入</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="80" />
            <source>Rows</source>
            <translation>行数</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="81" />
            <source>New</source>
            <translation>新建</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="82" />
            <source>Updated</source>
            <translation>更新</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="85" />
            <source>Assignments ended</source>
            <translation>结束任职</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="86" />
            <source>Handovers</source>
            <translation>交接</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="88" />
            <source>Place</source>
            <translation>地区</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="89" />
            <source>Sign-ins revoked</source>
            <translation>撤销登录</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="90" />
            <source>Device</source>
            <translation>设备</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="91" />
            <source>Account</source>
            <translation>账号</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="93" />
            <source>Replaced the holder</source>
            <translation>替换原任</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="94" />
            <source>Codes</source>
            <translation>设置码数</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="95" />
            <source>Changes</source>
            <translation>变更</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="96" />
            <source>Revision</source>
            <translation>版本</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="97" />
            <source>Added</source>
            <translation>新增</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="98" />
            <source>Renamed</source>
            <translation>更名</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="99" />
            <source>Moved</source>
            <translation>调整隶属</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="100" />
            <source>Retired</source>
            <translation>撤销</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="101" />
            <source>Restored</source>
            <translation>恢复</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="102" />
            <source>Former role</source>
            <translation>原角色</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="103" />
            <source>Former place</source>
            <translation>原辖区</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="104" />
            <source>Sheet</source>
            <translation>设置码表</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="105" />
            <source>Known device</source>
            <translation>已知设备</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="106" />
            <source>Reason</source>
            <translation>原因</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="107" />
            <source>Devices to sign out</source>
            <translation>将退出的设备数</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="108" />
            <source>Devices</source>
            <translation>设备</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="109" />
            <source>Valid until</source>
            <translation>有效期至</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="110" />
            <source>Code issued by</source>
            <translation>设置码发放人</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="111" />
            <source>Issuer's name</source>
            <translation>发放人姓名</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="112" />
            <source>New device</source>
            <translation>新设备</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="113" />
            <source>New device's name</source>
            <translation>新设备名称</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="114" />
            <source>Device name</source>
            <translation>设备名称</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="115" />
            <source>Held back</source>
            <translation>已受限</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="116" />
            <source>Recent failures</source>
            <translation>近期失败次数</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="117" />
            <source>Wait (s)</source>
            <translation>等待（秒）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="125" />
            <source>yes</source>
            <translation>是</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="126" />
            <source>no</source>
            <translation>否</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="133" />
            <source>wrong password</source>
            <translation>密码错误</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="134" />
            <source>no such account</source>
            <translation>无此账号</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="135" />
            <source>account disabled</source>
            <translation>账号已停用</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="144" />
            <source>, </source>
            <translation>、</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="160" />
            <source>{label}: {value}</source>
            <translation>{label}：{value}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="164" />
            <source>; </source>
            <translation>；</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/labels.py" line="170" />
            <source>never</source>
            <translation>从未</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/log_model.py" line="91" />
            <location filename="../../informant_app/ui/admin/security_log_model.py" line="187" />
            <source>Operator (command line)</source>
            <translation>运维人员（命令行）</translation>
        </message>
    </context>
    <context>
        <name>AdminLogModel</name>
        <message>
            <location filename="../../informant_app/ui/admin/log_model.py" line="65" />
            <source>Time</source>
            <extracomment>How the server's log names the operator at the command line (``admin_log.OPERATOR``).</extracomment>
            <translation>时间</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/log_model.py" line="66" />
            <source>By</source>
            <translation>操作人</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/log_model.py" line="67" />
            <source>Action</source>
            <translation>操作</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/log_model.py" line="68" />
            <source>On</source>
            <translation>对象</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/log_model.py" line="69" />
            <source>Details</source>
            <translation>详情</translation>
        </message>
    </context>
    <context>
        <name>AdminPage</name>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="191" />
            <source>&amp;Place</source>
            <extracomment>How long the page waits after the days changed before asking again.</extracomment>
            <translation>地区(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="194" />
            <source>R&amp;efresh</source>
            <translation>刷新(&amp;E)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="196" />
            <source>Ask the server again (Alt+E)</source>
            <translation>重新向服务器获取（Alt+E）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="206" />
            <source>Register &amp;import…</source>
            <translation>花名册导入(&amp;I)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="209" />
            <source>Import the informant register (.xlsx or .csv): a dry run first shows what would change, row by row (Alt+I)</source>
            <translation>导入信息员花名册（.xlsx 或 .csv）：先试导入，逐行显示将会发生的变化（Alt+I）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="215" />
            <source>Set-up code &amp;sheet…</source>
            <translation>批量设置码(&amp;S)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="218" />
            <source>Issue set-up codes for everyone in the place picked without a signed-in device, and save them as Excel and PDF, one page per township (Alt+S)</source>
            <translation>为所选地区内尚未在设备上登录的所有人员发放设置码，并保存为 Excel 和 PDF，每个乡镇一页（Alt+S）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="224" />
            <source>Export &amp;contacts…</source>
            <translation>导出通讯录(&amp;C)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="226" />
            <source>Save the contact list of the place picked as Excel (Alt+C)</source>
            <translation>将所选地区的通讯录保存为 Excel（Alt+C）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="243" />
            <source>&amp;Accounts</source>
            <translation>账号(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="244" />
            <source>Comp&amp;leteness</source>
            <translation>完整性(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="245" />
            <source>Ad&amp;min log</source>
            <translation>操作记录(&amp;M)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="247" />
            <source>Securi&amp;ty log</source>
            <translation>安全日志(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="260" />
            <source>Name, user name, place or phone</source>
            <translation>姓名、用户名、地点或电话</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="263" />
            <source>Fi&amp;nd</source>
            <translation>查找(&amp;N)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="266" />
            <source>Ne&amp;w account…</source>
            <translation>新建账号(&amp;W)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="268" />
            <source>Create an account; it signs in with a set-up code (Alt+W)</source>
            <translation>新建一个账号，该账号用设置码登录（Alt+W）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="272" />
            <source>Disa&amp;ble…</source>
            <translation>停用(&amp;B)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="274" />
            <source>The account can no longer sign in or sync (Alt+B)</source>
            <translation>该账号将无法登录和同步（Alt+B）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="278" />
            <source>Enable a&amp;gain</source>
            <translation>重新启用(&amp;G)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="280" />
            <source>Let a disabled account sign in again (Alt+G)</source>
            <translation>允许已停用的账号再次登录（Alt+G）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="284" />
            <source>Set-up c&amp;ode…</source>
            <translation>设置码(&amp;O)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="287" />
            <source>A one-time code that signs the person in on a new computer without a password (Alt+O)</source>
            <translation>一次性设置码，无需密码即可在新电脑上登录（Alt+O）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="293" />
            <source>Sign o&amp;ut device…</source>
            <translation>登出设备(&amp;U)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="295" />
            <source>Sign out one device of the account, or all of them (Alt+U)</source>
            <translation>登出该账号的一台设备或全部设备（Alt+U）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="329" />
            <source> days</source>
            <translation> 天</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="330" />
            <source>Not s&amp;ynced for</source>
            <translation>未同步天数(&amp;Y)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="366" />
            <source>All events</source>
            <translation>全部事件</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="370" />
            <source>E&amp;vent</source>
            <translation>事件(&amp;V)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="373" />
            <source>Refres&amp;h</source>
            <translation>刷新(&amp;H)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="375" />
            <source>Ask the server again for the latest lines (Alt+H)</source>
            <translation>再次向服务器获取最新记录（Alt+H）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="382" />
            <source>Sign-ins, set-up codes, devices signed out and account changes of the accounts you administer, newest first.</source>
            <translation>您所管理账号的登录、设置码、退出设备和账号变更记录，最新的在前。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="491" />
            <source>Asking the server for the accounts…</source>
            <translation>正在向服务器获取账号…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="512" />
            <source>{n} account(s) in {place}: {disabled} disabled, {without} without a signed-in device. As of {time}.</source>
            <translation>{place}共 {n} 个账号：{disabled} 个已停用，{without} 个没有已登录的设备。更新于 {time}。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="534" />
            <source>Offline: administration needs the server. {reason}</source>
            <translation>离线：账号管理需要连接服务器。{reason}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="711" />
            <source>Account {name} created.</source>
            <translation>已创建账号 {name}。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="725" />
            <source>Disable account</source>
            <translation>停用账号</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="727" />
            <source>Disable {name} ({user})? The account can no longer sign in or sync and its devices are signed out. Its posts and reports stay; it can be enabled again.</source>
            <translation>停用 {name}（{user}）？该账号将无法登录和同步，其设备会被登出。其岗位和报告保留，之后可以重新启用。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="748" />
            <source>{name} is disabled.</source>
            <translation>{name} 已停用。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="766" />
            <source>{name} is enabled again.</source>
            <translation>{name} 已重新启用。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="789" />
            <source>Set-up code issued for {name}; it works once.</source>
            <translation>已为 {name} 发放设置码，只能使用一次。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="813" />
            <source>{n} sign-in(s) of {user} revoked.</source>
            <translation>已撤销 {user} 的 {n} 个登录。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="827" />
            <source>Set-up code sheet</source>
            <translation>批量设置码</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="829" />
            <source>Issue set-up codes for everyone in {place} without a signed-in device? Their older unused codes stop working. The sheet is shown once, to save as Excel and PDF.</source>
            <translation>为{place}内所有尚未在设备上登录的人员发放设置码？他们之前未使用的设置码将失效。发放表只显示一次，请保存为 Excel 和 PDF。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="847" />
            <source>Issuing set-up codes for {place}…</source>
            <translation>正在为{place}发放设置码…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="860" />
            <source>{n} set-up code(s) issued for {place}.</source>
            <translation>已为{place}发放 {n} 个设置码。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="878" />
            <source>Save the contact list</source>
            <translation>保存通讯录</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="879" />
            <source>Contacts {place}.xlsx</source>
            <translation>通讯录 {place}.xlsx</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="880" />
            <source>Excel workbook (*.xlsx)</source>
            <translation>Excel 工作簿 (*.xlsx)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="889" />
            <source>Saving the contact list</source>
            <translation>正在保存联系人名单</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="905" />
            <source>Contact list of {n} people saved to {path}.</source>
            <translation>{n} 人的通讯录已保存到 {path}。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="923" />
            <source>Choose the informant register</source>
            <translation>选择信息员花名册</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="924" />
            <source>Register (*.xlsx *.csv)</source>
            <translation>花名册 (*.xlsx *.csv)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="932" />
            <source>Reading {file}…</source>
            <translation>正在读取 {file}…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="936" />
            <source>Checking {n} row(s) with the server…</source>
            <translation>正在由服务器检查 {n} 行…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="961" />
            <source>Saving {path}…</source>
            <translation>正在保存 {path}…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="968" />
            <source>Report saved to {path}.</source>
            <translation>报告已保存到 {path}。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="974" />
            <source>Importing {n} row(s)…</source>
            <translation>正在导入 {n} 行…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="979" />
            <source>The register is imported.</source>
            <translation>花名册已导入。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="981" />
            <source>Nothing was imported.</source>
            <translation>没有导入任何内容。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/admin_page.py" line="983" />
            <source>Register imported: {created} new account(s), {updated} updated.</source>
            <translation>花名册已导入：新建 {created} 个账号，更新 {updated} 个。</translation>
        </message>
    </context>
    <context>
        <name>AssignDialog</name>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="72" />
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="74" />
            <source>Assign {role} of {post}</source>
            <extracomment>The longest reason accepted.</extracomment>
            <translation>指定{post}的 {role}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="78" />
            <source>Now {role}: {holder}</source>
            <translation>现任 {role}：{holder}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="82" />
            <source>Nobody is {role} of this post now.</source>
            <translation>该岗位目前没有 {role}。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="88" />
            <source>Filter by name, user name or place</source>
            <translation>按姓名、用户名或地方筛选</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="90" />
            <source>Asking the server who can be assigned…</source>
            <translation>正在向服务器查询可指定的人员…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="97" />
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="98" />
            <source>User name</source>
            <translation>用户名</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="99" />
            <source>Place</source>
            <translation>地方</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="100" />
            <source>Phone</source>
            <translation>电话</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="101" />
            <source>Posts held</source>
            <translation>现任岗位</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="114" />
            <source>&amp;Whom</source>
            <translation>人员(&amp;W)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="122" />
            <source>Why this person takes the post (kept in the post's history)</source>
            <translation>此人任该岗位的原因（记入岗位历史）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="124" />
            <source>&amp;Reason (required)</source>
            <translation>原因(&amp;R)（必填）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="130" />
            <source>Re&amp;place the current holder, {name}</source>
            <translation>替换现任 {name}(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="142" />
            <source>&amp;Assign</source>
            <translation>指定(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="197" />
            <source>{n} account(s) can be assigned.</source>
            <translation>可指定 {n} 个账号。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="200" />
            <source>The server knows no account that can take this post.</source>
            <translation>服务器上没有可任此岗位的账号。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="213" />
            <source>Already {role} of this post.</source>
            <translation>已是该岗位的 {role}。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="215" />
            <source>{role} of this post: one person cannot be both A and B.</source>
            <translation>已是该岗位的 {role}：同一人不能同时任 A 和 B。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="267" />
            <source>Choose whom to assign.</source>
            <translation>请选择要指定的人员。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="269" />
            <source>A reason is required.</source>
            <translation>必须填写原因。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="271" />
            <source>{name} is {role} now: tick “replace” to hand the role over.</source>
            <translation>{name} 现任 {role}：请勾选“替换”以交接该角色。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="297" />
            <source>Replace the holder</source>
            <translation>替换现任人员</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="299" />
            <source>Replace {old} as {role} of {post} with {new}? {old}'s assignment ends now and a handover to {new} is recorded.</source>
            <translation>由 {new} 替换 {old} 任{post}的 {role}？{old} 的任职即刻结束，并记录向 {new} 的交接。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/assign_dialog.py" line="313" />
            <source>Replace {name}</source>
            <translation>替换 {name}</translation>
        </message>
    </context>
    <context>
        <name>BarChart</name>
        <message>
            <location filename="../../informant_app/ui/dashboard/charts.py" line="47" />
            <source>Bar chart</source>
            <extracomment>The bars' and the line's colour. The colour of bars of units with nothing counted (drawn as a thin mark).</extracomment>
            <translation>柱状图</translation>
        </message>
    </context>
    <context>
        <name>CaCertificateBox</name>
        <message>
            <location filename="../../informant_app/ui/account/setup_ca.py" line="67" />
            <source>City's CA certificate…</source>
            <translation>市里的 CA 证书…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_ca.py" line="72" />
            <source>Only for an https address whose certificate the city made itself: choose the CA certificate file (.pem, .crt) the city gave you</source>
            <translation>仅用于使用市里自建证书的 https 地址：选择市里提供的 CA 证书文件（.pem、.crt）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_ca.py" line="77" />
            <source>Remove</source>
            <translation>移除</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_ca.py" line="80" />
            <source>Trust the usual certificate authorities again</source>
            <translation>重新只信任通常的证书颁发机构</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_ca.py" line="105" />
            <source>https: the usual certificate authorities are trusted.</source>
            <translation>https：信任通常的证书颁发机构。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_ca.py" line="108" />
            <source>https: the city's CA certificate is trusted ({name}; SHA-256 {fingerprint}…).</source>
            <translation>https：信任市里的 CA 证书（{name}；SHA-256 {fingerprint}…）。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_ca.py" line="125" />
            <source>The city's CA certificate</source>
            <translation>市里的 CA 证书</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_ca.py" line="126" />
            <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
            <translation>证书 (*.pem *.crt *.cer);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_ca.py" line="154" />
            <source>The certificate could not be kept: {error}</source>
            <translation>无法保存证书：{error}</translation>
        </message>
    </context>
    <context>
        <name>ChinaTime</name>
        <message>
            <location filename="../../informant_app/ui/common/china_time.py" line="27" />
            <source>Beijing time (UTC+8), the time of the statistical system: every computer shows the same date and time, whatever its own time zone.</source>
            <extracomment>China Standard Time as a Qt time zone (fixed offset UTC+08:00).</extracomment>
            <translation>北京时间（UTC+8），即统计系统的时间：无论电脑设在哪个时区，显示的日期和时间都相同。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/labels.py" line="168" />
            <source>Beijing time</source>
            <extracomment>Date and time patterns (``QLocale.toString``) by language: unambiguous, 24-hour. The pattern of a date and time input (fixed widths, so typing over a section works).</extracomment>
            <translation>北京时间</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/labels.py" line="178" />
            <source>{time} (Beijing time)</source>
            <translation>{time}（北京时间）</translation>
        </message>
    </context>
    <context>
        <name>CompletenessChart</name>
        <message>
            <location filename="../../informant_app/ui/admin/completeness.py" line="155" />
            <source>Completeness chart</source>
            <translation>完整性图表</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/completeness.py" line="196" />
            <source>With A</source>
            <translation>有 A角</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/completeness.py" line="197" />
            <source>B only</source>
            <translation>仅有 B角</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/completeness.py" line="198" />
            <source>Vacant</source>
            <translation>空缺</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/completeness.py" line="215" />
            <location filename="../../informant_app/ui/admin/completeness.py" line="242" />
            <source>{n} not synced</source>
            <translation>{n} 人未同步</translation>
        </message>
    </context>
    <context>
        <name>CompletenessModel</name>
        <message>
            <location filename="../../informant_app/ui/admin/completeness.py" line="90" />
            <source>Division</source>
            <extracomment>The colours of the chart: posts with an A, with a B only, vacant.</extracomment>
            <translation>地区</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/completeness.py" line="91" />
            <source>Level</source>
            <translation>层级</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/completeness.py" line="92" />
            <source>Posts</source>
            <translation>岗位数</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/completeness.py" line="93" />
            <source>With A</source>
            <translation>有 A角</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/completeness.py" line="94" />
            <source>With B</source>
            <translation>有 B角</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/completeness.py" line="95" />
            <source>Vacant</source>
            <translation>空缺</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/completeness.py" line="96" />
            <source>Not synced for {n} days</source>
            <translation>{n} 天未同步</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/completeness.py" line="127" />
            <source>Total: {name}</source>
            <translation>合计：{name}</translation>
        </message>
    </context>
    <context>
        <name>CompletenessPanel</name>
        <message>
            <location filename="../../informant_app/ui/township/completeness_panel.py" line="69" />
            <source>&lt;b&gt;Who has not reported&lt;/b&gt;</source>
            <translation>&lt;b&gt;未报送的村&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/completeness_panel.py" line="72" />
            <source>For the chosen event</source>
            <translation>按所选灾害过程</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/completeness_panel.py" line="73" />
            <source>For today (24-hour zero report)</source>
            <translation>按今天（24小时零报告）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/completeness_panel.py" line="74" />
            <source>Refresh</source>
            <translation>刷新</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/completeness_panel.py" line="83" />
            <source>Village</source>
            <translation>村</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/completeness_panel.py" line="84" />
            <location filename="../../informant_app/ui/township/completeness_panel.py" line="170" />
            <source>Reported</source>
            <translation>已报送</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/completeness_panel.py" line="85" />
            <source>On duty</source>
            <translation>值守信息员</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/completeness_panel.py" line="86" />
            <source>Role</source>
            <translation>角色</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/completeness_panel.py" line="87" />
            <source>Phone</source>
            <translation>电话</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/completeness_panel.py" line="122" />
            <source>Choose an event above.</source>
            <translation>请在上方选择灾害过程。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/completeness_panel.py" line="124" />
            <source>Asking the server…</source>
            <translation>正在向服务器查询…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/completeness_panel.py" line="144" />
            <source>The server knows no villages of this township.</source>
            <translation>服务器上没有本乡镇的村。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/completeness_panel.py" line="146" />
            <source>{missing} of {total} villages have not reported.</source>
            <translation>{total} 个村中有 {missing} 个村未报送。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/completeness_panel.py" line="150" />
            <source>All {total} villages have reported.</source>
            <translation>全部 {total} 个村均已报送。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/completeness_panel.py" line="152" />
            <source>Offline: the copy fetched at {time}.</source>
            <translation>离线：显示的是 {time} 获取的副本。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/completeness_panel.py" line="170" />
            <source>Not reported</source>
            <translation>未报送</translation>
        </message>
    </context>
    <context>
        <name>ConflictDialog</name>
        <message>
            <location filename="../../informant_app/ui/sync/conflict_dialog.py" line="50" />
            <source>Resolve a conflict</source>
            <extracomment>Background of a line where the versions differ.</extracomment>
            <translation>处理冲突</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/conflict_dialog.py" line="61" />
            <source>This report was revised on two devices before either saw the other's change. Both versions reached the server. Where they differ (highlighted), choose the right value; resolving files a new version made of your choices.</source>
            <translation>这份报告在两台设备上被同时修改，双方都没有看到对方的修改。两个版本都已送达服务器。请在不同之处（高亮显示）选择正确的值；处理后将按您的选择生成一个新版本并报送。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/conflict_dialog.py" line="68" />
            <source>Show only the differences</source>
            <translation>只显示不同之处</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/conflict_dialog.py" line="72" />
            <source>{n} field(s) differ.</source>
            <translation>有 {n} 项不同。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/conflict_dialog.py" line="83" />
            <source>Keep all of mine</source>
            <translation>全部保留我的</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/conflict_dialog.py" line="85" />
            <source>Take all of theirs</source>
            <translation>全部采用对方的</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/conflict_dialog.py" line="89" />
            <source>Resolve</source>
            <translation>处理并报送</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/conflict_dialog.py" line="109" />
            <source>&lt;b&gt;{title}&lt;/b&gt;&lt;br&gt;version {no} · {who} · submitted {when}</source>
            <translation>&lt;b&gt;{title}&lt;/b&gt;&lt;br&gt;第 {no} 版 · {who} · 报送于 {when}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/conflict_dialog.py" line="127" />
            <source>&lt;b&gt;Field&lt;/b&gt;</source>
            <translation>&lt;b&gt;项目&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/conflict_dialog.py" line="129" />
            <source>Your version (this computer)</source>
            <translation>我的版本（本机）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/conflict_dialog.py" line="131" />
            <source>The other version</source>
            <translation>对方的版本</translation>
        </message>
    </context>
    <context>
        <name>ConflictRows</name>
        <message>
            <location filename="../../informant_app/ui/common/field_rows.py" line="72" />
            <source>Stage</source>
            <extracomment>A value left out of a version. Header keys in the order of the form. Keys after the figures. Keys never compared: the same for both sides or chosen by the resolution itself.</extracomment>
            <translation>报告阶段</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/field_rows.py" line="73" />
            <source>Village</source>
            <translation>村（社区）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/field_rows.py" line="74" />
            <source>Event name</source>
            <translation>过程名称</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/field_rows.py" line="75" />
            <source>Disaster type</source>
            <translation>灾种</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/field_rows.py" line="76" />
            <source>Subtype</source>
            <translation>灾害子类</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/field_rows.py" line="77" />
            <source>Occurred at</source>
            <translation>发生时间</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/field_rows.py" line="78" />
            <source>Data cut-off</source>
            <translation>数据截止时间</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/field_rows.py" line="79" />
            <source>Latitude</source>
            <translation>纬度</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/field_rows.py" line="80" />
            <source>Longitude</source>
            <translation>经度</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/field_rows.py" line="81" />
            <source>Emergency response active</source>
            <translation>已启动应急响应</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/field_rows.py" line="84" />
            <source>Situation stable</source>
            <translation>灾情已稳定</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/field_rows.py" line="85" />
            <source>Situation narrative</source>
            <translation>灾情文字说明</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/field_rows.py" line="86" />
            <source>Name ledger of the dead and missing</source>
            <translation>死亡失踪人员名单</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/field_rows.py" line="87" />
            <source>Household ledger of collapsed and damaged houses</source>
            <translation>倒塌损坏房屋户数台账</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/field_rows.py" line="90" />
            <source>Photos</source>
            <translation>照片</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/field_rows.py" line="91" />
            <source>Notes on warnings</source>
            <translation>对提示的说明</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/field_rows.py" line="92" />
            <source>Disaster event (number)</source>
            <translation>灾害过程（编号）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/field_rows.py" line="132" />
            <source>Yes</source>
            <translation>是</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/field_rows.py" line="133" />
            <source>No</source>
            <translation>否</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/field_rows.py" line="139" />
            <source>{n} photo(s)</source>
            <translation>{n} 张照片</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/field_rows.py" line="150" />
            <source>collapsed</source>
            <translation>倒塌</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/field_rows.py" line="151" />
            <source>severely damaged</source>
            <translation>严重损坏</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/field_rows.py" line="152" />
            <source>generally damaged</source>
            <translation>一般损坏</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/field_rows.py" line="159" />
            <source>{head} ({damage}, {rooms} rooms)</source>
            <translation>{head}（{damage}，{rooms} 间）</translation>
        </message>
    </context>
    <context>
        <name>CrashDialog</name>
        <message>
            <location filename="../../informant_app/ui/common/crash.py" line="99" />
            <source>Unexpected error</source>
            <extracomment>The longest error message put into the copied block.</extracomment>
            <translation>意外错误</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/crash.py" line="108" />
            <source>An unexpected error occurred. Your saved drafts are safe. If it happens again, please send the log file to your township:
{path}</source>
            <translation>程序发生意外错误。已保存的草稿不会丢失。如果再次出现，请把日志文件发给乡镇：
{path}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/crash.py" line="127" />
            <source>&amp;Copy diagnostic information</source>
            <translation>复制诊断信息(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/crash.py" line="132" />
            <source>Copy versions, folders, the log's place and this error to the clipboard (no password, no report contents)</source>
            <translation>将版本、文件夹、日志位置和本次错误复制到剪贴板（不含密码，不含报告内容）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/crash.py" line="171" />
            <source>Copied to the clipboard.</source>
            <translation>已复制到剪贴板。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/crash.py" line="173" />
            <source>Copied to the clipboard without the report counts: they are in Help → Copy diagnostic information.</source>
            <translation>已复制到剪贴板，但不含报告数量：请使用“帮助 → 复制诊断信息”获取。</translation>
        </message>
    </context>
    <context>
        <name>Dashboard</name>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="49" />
            <source>Filed</source>
            <extracomment>The figures the unit table shows beside the one chosen for the chart. The figures the year summary shows, as ``SummaryRow`` attributes.</extracomment>
            <translation>已报</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="50" />
            <source>Filed late</source>
            <translation>迟报</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="51" />
            <source>Not due</source>
            <translation>未到期</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="52" />
            <source>Escalated</source>
            <translation>已升级</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="53" />
            <source>Overdue</source>
            <translation>已逾期</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="54" />
            <source>No deadline</source>
            <translation>无时限</translation>
        </message>
    </context>
    <context>
        <name>DashboardPage</name>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="232" />
            <source>Event:</source>
            <translation>灾害过程：</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="240" />
            <source>Stage:</source>
            <translation>阶段：</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="245" />
            <source>Figure:</source>
            <translation>指标：</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="252" />
            <source>Refresh</source>
            <translation>刷新</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="254" />
            <source>Merge events…</source>
            <translation>合并灾害过程…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="257" />
            <source>Merge another open event of the same type into the event chosen.</source>
            <translation>把另一个同灾种、进行中的灾害过程合并到所选灾害过程。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="274" />
            <source>Event overview</source>
            <translation>事件概况</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="278" />
            <source>Reports waiting</source>
            <translation>待审报表</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="279" />
            <source>Year summary</source>
            <translation>年度汇总</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="303" />
            <source>Standing on day:</source>
            <translation>查看日期：</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="313" />
            <source>Today: each unit's deadline standing now, as the server reports it. A past day (China time): the standing at the end of that day (24:00), judged by the deadline rules from what the server shows now: the first filing of each deadline window, and the unit reports below of every stage (counted or waiting) received and cut off before that day's end. A report replaced since is not known, so a unit may show overdue on a past day it filed a report that was later replaced. A township's villages: whether each reported on the event that day. The figures are always those of the reports that count now.</source>
            <translation>今天：各单位当前的时限状态，以服务器为准。过去某日（北京时间）：该日结束时（24:00）的状态，按时限规则根据服务器现有信息判断：各时限窗口的首次报送，以及下级各阶段报表（已计入或待审）中在该日结束前收到且数据截止于该日结束前的报表。之后被替换的报表无法得知，因此某单位在过去某日报送过、后来被替换的，可能显示为逾期。乡镇的各村：该日是否报送了本事件。数字始终是当前计入的报表的数字。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="358" />
            <source>Add adjustment…</source>
            <translation>添加调整…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="361" />
            <source>Submit the final report…</source>
            <translation>报送终报…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="363" />
            <source>Submit upward…</source>
            <translation>上报…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="367" />
            <source>Export Excel…</source>
            <translation>导出 Excel…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="369" />
            <source>Export PDF…</source>
            <translation>导出 PDF…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="393" />
            <source>Pass</source>
            <translation>通过</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="394" />
            <source>Return…</source>
            <translation>退回…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="409" />
            <source>Year:</source>
            <translation>年份：</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="414" />
            <source>Bars:</source>
            <translation>柱状图指标：</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="510" />
            <source>Asking the server for the open events…</source>
            <translation>正在向服务器查询进行中的灾害过程…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="525" />
            <source>No event is open in your jurisdiction.</source>
            <translation>辖区内没有进行中的灾害过程。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="562" />
            <source>Asking the server for the event's figures…</source>
            <translation>正在向服务器查询该灾害过程的数据…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="583" />
            <source>Reports waiting ({n})</source>
            <translation>待审报表（{n}）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="587" />
            <source>Reports of the units below that wait for your decision. Passed figures count in your total; a returned report goes back with your reason.</source>
            <translation>以下是待您审核的下级报表。通过的数据计入本级合计；退回的报表附您的原因退回。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="591" />
            <source>No report waits for your decision.</source>
            <translation>没有待您审核的报表。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="601" />
            <source>{unit} · {event} · {stage}: {n} of {m} units counted.</source>
            <translation>{unit} · {event} · {stage}：{m} 个单位中已计入 {n} 个。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="609" />
            <source>{n} adjustment(s) with reasons.</source>
            <translation>有 {n} 项附原因的调整。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="613" />
            <source>Not yet filed their verified report: {units}.</source>
            <translation>尚未报送核报：{units}。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="617" />
            <source>Your report upward: {status}.</source>
            <translation>本级上报：{status}。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="623" />
            <source>Server time {time}.</source>
            <translation>服务器时间 {time}。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="628" />
            <source>submitted</source>
            <translation>已报送</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="629" />
            <source>passed</source>
            <translation>已通过</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="630" />
            <source>returned</source>
            <translation>已退回</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="631" />
            <source>final</source>
            <translation>终报</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="654" />
            <source>Deadlines of the units below now:</source>
            <translation>下级单位当前时限：</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="656" />
            <source>Standing of the units below at the end of {day} (24:00 China time):</source>
            <translation>下级单位截至 {day} 24:00（北京时间）的报送情况：</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="660" />
            <source>{figure} by unit</source>
            <translation>各单位{figure}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="663" />
            <source>{figure}: running total over the counted reports, by data cut-off</source>
            <translation>{figure}：已计入报表按数据截止时间累计</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="667" />
            <source>No counted report yet.</source>
            <translation>尚无计入的报表。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="761" />
            <source>{year}: {figure} by unit</source>
            <translation>{year}年各单位{figure}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="794" />
            <source>This total was submitted already; it can be submitted again once it changes.</source>
            <translation>此合计已报送；数据变化后可再次报送。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="797" />
            <source>Nothing to submit yet: pass the reports of the units below first.</source>
            <translation>暂无可报送内容：请先审核通过下级报表。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="839" />
            <source>Adjustment recorded.</source>
            <translation>调整已记录。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="856" />
            <source>Submit the final report</source>
            <translation>报送终报</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="858" />
            <source>Submit the city report of {title} as the final report? It adds up the passed county reports and the city's adjustments.</source>
            <translation>将 {title} 的市级报表作为终报报送？报表为已通过的县级报表之和加本市调整数。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="862" />
            <source>Submit upward</source>
            <translation>上报</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="864" />
            <source>Submit the county report of {title} to the city? It adds up the passed township reports and the county's adjustments; the city reads it as the county's figures.</source>
            <translation>将 {title} 的县级报表报送市级？报表为已通过的乡镇报表之和加本县调整数，市级以此作为本县数据。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="878" />
            <source>Submit</source>
            <translation>报送</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="891" />
            <source>The city report was submitted as the final report.</source>
            <translation>市级报表已作为终报报送。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="893" />
            <source>The county report was submitted to the city.</source>
            <translation>县级报表已报送市级。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="912" />
            <source>Excel workbook (*.xlsx)</source>
            <translation>Excel 工作簿 (*.xlsx)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="914" />
            <source>PDF document (*.pdf)</source>
            <translation>PDF 文档 (*.pdf)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="917" />
            <source>Export the city report</source>
            <translation>导出市级报表</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="919" />
            <source>Export the county report</source>
            <translation>导出县级报表</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="931" />
            <source>Exporting the report</source>
            <translation>正在导出报表</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="957" />
            <source>Exported to {path}</source>
            <translation>已导出到 {path}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="991" />
            <source>Merge disaster events</source>
            <translation>合并灾害过程</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="993" />
            <source>Merge “{merged}” into “{keep}”? The reports of “{merged}” then count in “{keep}” and it leaves the list of open events. A merge is not undone here.</source>
            <translation>将“{merged}”合并到“{keep}”？此后“{merged}”的报告计入“{keep}”，并从进行中的灾害过程中移除。合并后无法在此撤销。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="1002" />
            <source>Merge</source>
            <translation>合并</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="1014" />
            <source>The events were merged into {event}.</source>
            <translation>灾害过程已合并到 {event}。</translation>
        </message>
    </context>
    <context>
        <name>DemoLauncher</name>
        <message>
            <location filename="../../informant_app/demo/launcher.py" line="92" />
            <source>Disaster reporting — demo</source>
            <extracomment>How long quitting waits for each child process. How often the accounts' posts are read again from the demo server's database.</extracomment>
            <translation>灾情报送 — 演示</translation>
        </message>
        <message>
            <source>&lt;b&gt;See a report travel from the village to the township.&lt;/b&gt;&lt;ol&gt;&lt;li&gt;Open informant A of the village and file a report: it goes to the city server by itself.&lt;/li&gt;&lt;li&gt;Open the township reviewer: the report arrives there.&lt;/li&gt;&lt;li&gt;Cut the network below, file another report in the village: it waits in the queue. Restore the network: it goes out with no further step.&lt;/li&gt;&lt;li&gt;Revise the same report in the windows of A and B while the network is cut: after it is restored, both see the conflict and resolve it.&lt;/li&gt;&lt;li&gt;In the reviewer's window, open the report and return it with a reason and a comment on a field: A's window shows it returned, with the reason and the comment beside the field. A revises and submits again.&lt;/li&gt;&lt;li&gt;The reviewer approves the new version; on the Township report tab the total equals the sum of the approved villages; export it to Excel.&lt;/li&gt;&lt;/ol&gt;</source>
            <translation type="vanished">&lt;b&gt;看一份报告如何从村报到乡镇。&lt;/b&gt;&lt;ol&gt;&lt;li&gt;打开村信息员 A 的窗口，填报一份报告：它会自己发到市级服务器。&lt;/li&gt;&lt;li&gt;打开乡镇审核员的窗口：报告已经到达。&lt;/li&gt;&lt;li&gt;在下方断开网络，在村里再报一份：它在队列中等待。恢复网络后，无需任何操作，它会自动发出。&lt;/li&gt;&lt;li&gt;断网时在 A 和 B 的窗口里修改同一份报告：网络恢复后，双方都会看到冲突并进行处理。&lt;/li&gt;&lt;li&gt;在审核员窗口中打开报告，写明退回原因并对某一项填写意见后退回：A 的窗口显示“已退回”，并在该项旁显示原因和意见。A 修改后重新提交。&lt;/li&gt;&lt;li&gt;审核员通过新版本；在“乡镇报表”页上，合计等于已通过各村之和；再导出为 Excel。&lt;/li&gt;&lt;/ol&gt;</translation>
        </message>
        <message>
            <location filename="../../informant_app/demo/launcher.py" line="104" />
            <source>&lt;b&gt;See a report travel from the village to the township.&lt;/b&gt;&lt;ol&gt;&lt;li&gt;Open informant A of the village and file a report: it goes to the city server by itself.&lt;/li&gt;&lt;li&gt;Open the township reviewer: the report arrives there.&lt;/li&gt;&lt;li&gt;Cut the network below, file another report in the village: it waits in the queue. Restore the network: it goes out with no further step.&lt;/li&gt;&lt;li&gt;Revise the same report in the windows of A and B while the network is cut: after it is restored, both see the conflict and resolve it.&lt;/li&gt;&lt;li&gt;In the reviewer's window, open the report and return it with a reason and a comment on a field: A's window shows it returned, with the reason and the comment beside the field. A revises and submits again.&lt;/li&gt;&lt;li&gt;The reviewer approves the new version; on the Township report tab the total equals the sum of the approved villages; export it to Excel.&lt;/li&gt;&lt;li&gt;A/B duty: in the reviewer's Roster and duty tab, assign dangxi_b as B of 党西村, then mark its A off duty. The 党西村 B window shows that B acts for A; a report B files there reaches the queue marked as filed by B acting for A.&lt;/li&gt;&lt;li&gt;Open an event for the villages (Events and deadlines tab): villages that have not filed are flagged after 2 minutes, and overdue after 4 (60 in production).&lt;/li&gt;&lt;/ol&gt;</source>
            <translation>&lt;b&gt;看一份报告如何从村报到乡镇。&lt;/b&gt;&lt;ol&gt;&lt;li&gt;打开村信息员 A 的窗口，填报一份报告：它会自己发到市级服务器。&lt;/li&gt;&lt;li&gt;打开乡镇审核员的窗口：报告已经到达。&lt;/li&gt;&lt;li&gt;在下方断开网络，在村里再报一份：它在队列中等待。恢复网络后，无需任何操作，它会自动发出。&lt;/li&gt;&lt;li&gt;断网时在 A 和 B 的窗口里修改同一份报告：网络恢复后，双方都会看到冲突并进行处理。&lt;/li&gt;&lt;li&gt;在审核员窗口中打开报告，写明退回原因并对某一项填写意见后退回：A 的窗口显示“已退回”，并在该项旁显示原因和意见。A 修改后重新提交。&lt;/li&gt;&lt;li&gt;审核员通过新版本；在“乡镇报表”页上，合计等于已通过各村之和；再导出为 Excel。&lt;/li&gt;&lt;li&gt;A/B角值班：在审核员的“岗位与值班”页，把 dangxi_b 指定为党西村的 B，再登记该村 A 离岗。党西村 B 的窗口会显示 B 代 A 值班；B 在那里报送的报告到达审核队列时标注为“B 代 A 报送”。&lt;/li&gt;&lt;li&gt;为各村启动一个灾害过程（“灾害过程与时限”页）：2 分钟后仍未报送的村被标出，4 分钟后显示为超时（正式环境为 60 分钟）。&lt;/li&gt;&lt;/ol&gt;</translation>
        </message>
        <message>
            <location filename="../../informant_app/demo/launcher.py" line="139" />
            <source>Sample accounts</source>
            <translation>示例账号</translation>
        </message>
        <message>
            <location filename="../../informant_app/demo/launcher.py" line="149" />
            <source>Demo folder: {path}</source>
            <translation>演示文件夹：{path}</translation>
        </message>
        <message>
            <location filename="../../informant_app/demo/launcher.py" line="178" />
            <source>Informant of {village}, no post yet</source>
            <translation>{village}信息员（尚无岗位）</translation>
        </message>
        <message>
            <location filename="../../informant_app/demo/launcher.py" line="182" />
            <source>Informant {role} of {village}</source>
            <translation>{village}信息员 {role}角</translation>
        </message>
        <message>
            <location filename="../../informant_app/demo/launcher.py" line="187" />
            <source>Township reviewer of {township}</source>
            <translation>{township}审核员</translation>
        </message>
        <message>
            <location filename="../../informant_app/demo/launcher.py" line="191" />
            <source>County admin of {county}</source>
            <translation>{county}管理员</translation>
        </message>
        <message>
            <location filename="../../informant_app/demo/launcher.py" line="195" />
            <source>City admin of {city}</source>
            <translation>{city}管理员</translation>
        </message>
        <message>
            <location filename="../../informant_app/demo/launcher.py" line="206" />
            <source>user {user} · password {password}</source>
            <translation>用户名 {user} · 密码 {password}</translation>
        </message>
        <message>
            <location filename="../../informant_app/demo/launcher.py" line="213" />
            <source>Open window</source>
            <translation>打开窗口</translation>
        </message>
        <message>
            <location filename="../../informant_app/demo/launcher.py" line="238" />
            <source>City server: not started</source>
            <translation>市级服务器：未启动</translation>
        </message>
        <message>
            <location filename="../../informant_app/demo/launcher.py" line="239" />
            <location filename="../../informant_app/demo/launcher.py" line="252" />
            <source>Restore the network (start the server)</source>
            <translation>恢复网络（启动服务器）</translation>
        </message>
        <message>
            <location filename="../../informant_app/demo/launcher.py" line="243" />
            <source>City server running at {url}</source>
            <translation>市级服务器运行中：{url}</translation>
        </message>
        <message>
            <location filename="../../informant_app/demo/launcher.py" line="244" />
            <location filename="../../informant_app/demo/launcher.py" line="247" />
            <source>Cut the network (stop the server)</source>
            <translation>断开网络（停止服务器）</translation>
        </message>
        <message>
            <location filename="../../informant_app/demo/launcher.py" line="246" />
            <source>City server starting at {url} …</source>
            <translation>市级服务器正在启动：{url} …</translation>
        </message>
        <message>
            <location filename="../../informant_app/demo/launcher.py" line="250" />
            <source>City server stopped: the app windows work offline and keep their reports queued.</source>
            <translation>市级服务器已停止：各窗口离线工作，报告在队列中等待发送。</translation>
        </message>
        <message>
            <location filename="../../informant_app/demo/launcher.py" line="269" />
            <source>The city server did not start:</source>
            <translation>市级服务器未能启动：</translation>
        </message>
        <message>
            <location filename="../../informant_app/demo/launcher.py" line="280" />
            <source>The window of {name} is already open.</source>
            <translation>{name}的窗口已经打开。</translation>
        </message>
        <message>
            <location filename="../../informant_app/demo/launcher.py" line="292" />
            <source>Signing in needs the city server: restore the network first.</source>
            <translation>登录需要连接市级服务器，请先恢复网络。</translation>
        </message>
        <message>
            <location filename="../../informant_app/demo/launcher.py" line="295" />
            <source>Signing in as {name} …</source>
            <translation>正在以{name}的身份登录 …</translation>
        </message>
        <message>
            <location filename="../../informant_app/demo/launcher.py" line="312" />
            <source>Signing in as {name} failed:</source>
            <translation>以{name}的身份登录失败：</translation>
        </message>
        <message>
            <location filename="../../informant_app/demo/launcher.py" line="337" />
            <source>Filing the example reports failed:</source>
            <translation>报送示例报告失败：</translation>
        </message>
        <message>
            <location filename="../../informant_app/demo/launcher.py" line="347" />
            <source>Opened the window of {name}.</source>
            <translation>已打开{name}的窗口。</translation>
        </message>
    </context>
    <context>
        <name>DivisionPicker</name>
        <message>
            <location filename="../../informant_app/ui/account/division_picker.py" line="50" />
            <source>County</source>
            <translation>县（区）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/division_picker.py" line="51" />
            <source>Township</source>
            <translation>乡镇（街道）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/division_picker.py" line="52" />
            <source>Villages</source>
            <translation>村（社区）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/division_picker.py" line="110" />
            <source>No villages of this township are listed</source>
            <translation>本乡镇暂无村（社区）名单</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/division_picker.py" line="133" />
            <source>Chosen: {names}</source>
            <translation>已选：{names}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/division_picker.py" line="135" />
            <source>No village chosen yet</source>
            <translation>尚未选择村（社区）</translation>
        </message>
    </context>
    <context>
        <name>Duty</name>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="81" />
            <source>filed by A</source>
            <extracomment>Colours of the deadline states (always shown with their text and a symbol). A symbol per state, so the list reads without colour. Most urgent first: the order of villages in the events list. Colour of a filing by B while A was on duty (allowed, flagged for the reviewer). Colour of "nobody on duty". The dash of an empty cell.</extracomment>
            <translation>A 报送</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="82" />
            <source>filed by B acting for A</source>
            <translation>B 代 A 报送</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="83" />
            <source>filed by B while A was on duty</source>
            <translation>B 报送（A 在岗）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="96" />
            <source>A</source>
            <translation>A 报送</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="99" />
            <source>B acting for A ({name})</source>
            <translation>B 代 A（{name}）报送</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="102" />
            <source>B acting for A</source>
            <translation>B 代 A 报送</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="104" />
            <source>B while A ({name}) was on duty</source>
            <translation>B 报送（A {name} 在岗）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="107" />
            <source>B while A was on duty</source>
            <translation>B 报送（A 在岗）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="114" />
            <source>The B filed although A was on duty: allowed, but check with the village.</source>
            <translation>A 在岗时由 B 报送：允许，但请与村里核实。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="118" />
            <source>A was off duty (or the post has no A); B filed in A's place.</source>
            <translation>A 不在岗（或岗位无 A），由 B 代为报送。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="129" />
            <source>on leave</source>
            <translation>请假</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="130" />
            <source>away</source>
            <translation>外出</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="131" />
            <source>unreachable</source>
            <translation>联系不上</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="144" />
            <source>{kind} ({reason})</source>
            <translation>{kind}（{reason}）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="157" />
            <source>{kind} from {start} until {end}</source>
            <translation>{kind}，{start} 起至 {end}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="161" />
            <source>{kind} until {end}</source>
            <translation>{kind}，至 {end}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="169" />
            <source>{what}: {reason}</source>
            <translation>{what}：{reason}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="175" />
            <source>Filed</source>
            <translation>已报送</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="176" />
            <source>Filed late</source>
            <translation>逾期报送</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="177" />
            <source>Waiting</source>
            <translation>待报送</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="178" />
            <source>Escalated: half the time gone</source>
            <translation>已过半时限未报</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="179" />
            <source>Overdue</source>
            <translation>已超时未报</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="195" />
            <source>Initial report</source>
            <translation>初报</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="196" />
            <source>Daily continuing report</source>
            <translation>每日续报</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="215" />
            <source>{stage} filed {time}</source>
            <translation>{stage}已于 {time} 报送</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="218" />
            <source>{stage} due {time}</source>
            <translation>{stage}时限 {time}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="243" />
            <source>{n} unsent</source>
            <translation>{n} 份未发送</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="247" />
            <source>{n} returned awaiting revision</source>
            <translation>{n} 份被退回待修改</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="251" />
            <source>{n} open event(s)</source>
            <translation>{n} 个未结束灾害过程</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="252" />
            <source>nothing open</source>
            <translation>无未办事项</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="261" />
            <source>Returned: {event}</source>
            <translation>被退回：{event}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="268" />
            <source>Open event: {event}</source>
            <translation>未结束灾害过程：{event}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="278" />
            <source>Change of holder</source>
            <translation>人员更替</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="279" />
            <source>A off duty</source>
            <translation>A 离岗</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="292" />
            <source>Awaiting sign-off</source>
            <translation>待签收</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="293" />
            <source>Signed off by {name} at {time}</source>
            <translation>{name} 于 {time} 签收</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="301" />
            <source>{time} (China time)</source>
            <translation>{time}（北京时间）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="315" />
            <source>The township opened the event “{event}” ({type}) for {village}: the initial report was due by {time}. File it now.</source>
            <translation>乡镇已为{village}开启灾害过程“{event}”（{type}）：初报应于 {time}前报送，请立即报送。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/duty_labels.py" line="320" />
            <source>The township opened the event “{event}” ({type}) for {village}: file the initial report by {time}.</source>
            <translation>乡镇已为{village}开启灾害过程“{event}”（{type}）：请于 {time}前报送初报。</translation>
        </message>
    </context>
    <context>
        <name>DutyBanner</name>
        <message>
            <location filename="../../informant_app/ui/duty/banner.py" line="122" />
            <source>Acknowledge</source>
            <extracomment>Background and text colours of the banner's kinds of line.</extracomment>
            <translation>知道了</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/banner.py" line="124" />
            <source>Seen: do not show this alert again on this computer</source>
            <translation>已阅：本机不再显示此提醒</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/banner.py" line="140" />
            <source>File the initial report</source>
            <translation>填写初报</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/banner.py" line="142" />
            <source>Open a new initial report of this event</source>
            <translation>为该灾害过程新建一份初报</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/banner.py" line="168" />
            <source>Acting for A ({name}) at {post}: A is not on duty.</source>
            <translation>在{post}代 A（{name}）值班：A 不在岗。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/banner.py" line="171" />
            <source>Acting for A ({name}) at {post}: {why}, until {time}.</source>
            <translation>在{post}代 A（{name}）值班：{why}，至 {time}。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/banner.py" line="178" />
            <source>You are B of {post} and on duty: the post has no A.</source>
            <translation>您是{post}的 B，在岗（该岗位暂无 A）。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/banner.py" line="181" />
            <source>You are B of {post}; A ({name}) is on duty.</source>
            <translation>您是{post}的 B；A（{name}）在岗。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/banner.py" line="185" />
            <source>You are A of {post}: on duty.</source>
            <translation>您是{post}的 A，在岗。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/banner.py" line="189" />
            <source>You are A of {post}: off duty ({why}) until {time}; B ({name}) is on duty.</source>
            <translation>您是{post}的 A：离岗（{why}）至 {time}，由 B（{name}）值班。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/banner.py" line="197" />
            <source>You are A of {post}: off duty ({why}) until {time}; the post has no B, nobody is on duty.</source>
            <translation>您是{post}的 A：离岗（{why}）至 {time}；该岗位没有 B，无人值班。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/banner.py" line="202" />
            <source>You are A of {post}: not on duty.</source>
            <translation>您是{post}的 A，不在岗。</translation>
        </message>
    </context>
    <context>
        <name>DutyWorkspace</name>
        <message>
            <location filename="../../informant_app/ui/duty/workspace.py" line="127" />
            <source>Events and deadlines</source>
            <extracomment>The roles that manage posts (docs/duty.md). The role that opens events for its villages.</extracomment>
            <translation>灾害过程与时限</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/workspace.py" line="128" />
            <source>Roster and duty</source>
            <translation>岗位与值班</translation>
        </message>
    </context>
    <context>
        <name>EndAssignmentDialog</name>
        <message>
            <location filename="../../informant_app/ui/duty/end_assignment_dialog.py" line="38" />
            <source>End an assignment at {post}</source>
            <extracomment>The longest reason accepted.</extracomment>
            <translation>结束{post}的任职</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/end_assignment_dialog.py" line="39" />
            <source>Who leaves the post {post}?</source>
            <translation>谁离开{post}的岗位？</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/end_assignment_dialog.py" line="47" />
            <source>{role}: {holder}</source>
            <translation>{role}：{holder}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/end_assignment_dialog.py" line="62" />
            <source>Why the assignment ends (kept in the post's history)</source>
            <translation>结束任职的原因（记入岗位历史）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/end_assignment_dialog.py" line="64" />
            <source>&amp;Reason (required)</source>
            <translation>原因(&amp;R)（必填）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/end_assignment_dialog.py" line="68" />
            <source>A reason is required.</source>
            <translation>必须填写原因。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/end_assignment_dialog.py" line="72" />
            <source>&amp;End assignment</source>
            <translation>结束任职(&amp;E)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/end_assignment_dialog.py" line="101" />
            <source>{name} takes over alone; a handover is recorded.</source>
            <translation>由 {name} 独自接手，并记录交接。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/end_assignment_dialog.py" line="106" />
            <source>Nobody will hold the post afterwards.</source>
            <translation>此后该岗位将无人任职。</translation>
        </message>
    </context>
    <context>
        <name>ErrorPresenter</name>
        <message>
            <location filename="../../informant_app/ui/common/errors.py" line="44" />
            <source>Something went wrong: {error}</source>
            <translation>出现问题：{error}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/errors.py" line="46" />
            <source>Details were written to the log: {path}</source>
            <translation>详细信息已写入日志：{path}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/errors.py" line="56" />
            <source>Disaster reports</source>
            <translation>灾情报送</translation>
        </message>
    </context>
    <context>
        <name>EventsPanel</name>
        <message>
            <location filename="../../informant_app/ui/duty/events_panel.py" line="129" />
            <source>&amp;Open event for villages…</source>
            <extracomment>How often the deadlines are worked out again.</extracomment>
            <translation>为各村启动灾害过程(&amp;O)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/events_panel.py" line="131" />
            <source>&amp;Add villages…</source>
            <translation>增加村(&amp;A)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/events_panel.py" line="133" />
            <source>&amp;Close event…</source>
            <translation>结束灾害过程(&amp;C)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/events_panel.py" line="135" />
            <source>No more continuing reports are due</source>
            <translation>不再需要续报</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/events_panel.py" line="136" />
            <source>R&amp;efresh</source>
            <translation>刷新(&amp;E)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/events_panel.py" line="138" />
            <source>Work the deadlines out again (also every minute and after each sync)</source>
            <translation>重新计算报送时限（每分钟及每次同步后也会自动计算）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/events_panel.py" line="146" />
            <source>Event / village</source>
            <translation>灾害过程 / 村</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/events_panel.py" line="146" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/events_panel.py" line="146" />
            <source>Deadline</source>
            <translation>时限</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/events_panel.py" line="146" />
            <source>On duty</source>
            <translation>值班人</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/events_panel.py" line="287" />
            <source>{n} open event(s); village deadlines: {overdue} overdue, {escalated} past half the time. Worked out at {time}.</source>
            <translation>{n} 个进行中的灾害过程；各村时限：{overdue} 个已逾时，{escalated} 个已过半时限未报。计算于 {time}。</translation>
        </message>
        <message>
            <source>{late} of {n} village(s) late</source>
            <translation type="vanished">{n} 个村中 {late} 个逾时</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/events_panel.py" line="265" />
            <source>{n} village(s), none late</source>
            <translation>{n} 个村，均未逾时</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/events_panel.py" line="225" />
            <source>Opened {time}</source>
            <translation>{time} 启动</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/events_panel.py" line="248" />
            <source>Nobody on duty</source>
            <translation>无人值班</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/events_panel.py" line="266" />
            <source>; </source>
            <translation>；</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/events_panel.py" line="271" />
            <source>{n} village(s): {parts}</source>
            <translation>{n} 个村：{parts}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/events_panel.py" line="280" />
            <source>No open event. Open one when a disaster strikes, so every village knows its deadline.</source>
            <translation>没有进行中的灾害过程。灾害发生时请启动一个，让每个村都知道报送时限。</translation>
        </message>
        <message>
            <source>{n} open event(s); {late} village deadline(s) late. Worked out at {time}.</source>
            <translation type="vanished">{n} 个进行中的灾害过程；{late} 个村的报送逾时。计算于 {time}。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/events_panel.py" line="366" />
            <source>The event “{name}” is open for the villages.</source>
            <translation>已为各村启动灾害过程“{name}”。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/events_panel.py" line="380" />
            <source>Close the event</source>
            <translation>结束灾害过程</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/events_panel.py" line="381" />
            <source>Close “{name}”? The villages owe no more continuing reports for it.</source>
            <translation>结束“{name}”？各村将不再需要为它续报。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/events_panel.py" line="395" />
            <source>The event “{name}” is closed.</source>
            <translation>灾害过程“{name}”已结束。</translation>
        </message>
    </context>
    <context>
        <name>FigureInput</name>
        <message>
            <location filename="../../informant_app/ui/reports/figure_input.py" line="69" />
            <source>Use half-width digits 0–9 (full-width input is on)</source>
            <extracomment>Digits before the point a figure may have (figures stay below 10^12, see the contract).</extracomment>
            <translation>请用半角数字 0–9（当前为全角输入）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/figure_input.py" line="74" />
            <source>Cannot be negative</source>
            <translation>不能为负数</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/figure_input.py" line="80" />
            <location filename="../../informant_app/ui/reports/figure_input.py" line="92" />
            <source>Enter a whole number ({unit})</source>
            <translation>请输入整数（{unit}）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/figure_input.py" line="86" />
            <source>Enter a number ({unit})</source>
            <translation>请输入数字（{unit}）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/figure_input.py" line="99" />
            <source>Too large: at most {n} digits</source>
            <translation>数值过大：整数部分最多 {n} 位</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/figure_input.py" line="106" />
            <source>At most {n} decimal places</source>
            <translation>最多 {n} 位小数</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/figure_input.py" line="113" />
            <source>Add the digits after the point, or remove the point</source>
            <translation>请在小数点后补上数字，或删去小数点</translation>
        </message>
    </context>
    <context>
        <name>FigureSections</name>
        <message>
            <location filename="../../informant_app/ui/reports/figure_sections.py" line="95" />
            <source>★ must be filled in: the core figures and the situation narrative. Enter 0 for a figure that is none.</source>
            <extracomment>Rule name of a figure the input refuses (the app's own check, before the shared rules). Rule name of a blank ★ figure at the submit of an initial report. The red frame of a refused input (a fixed width, so the input keeps its size). Fields placed side by side in each section. Width of a figure input, in pixels (12 digits and 2 decimals fit).</extracomment>
            <translation>★ 为必填项：核心指标和灾情文字说明。没有的数字请填 0。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/figure_sections.py" line="99" />
            <source>Fill blank ★ with &amp;0</source>
            <translation>空白★项填 &amp;0</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/figure_sections.py" line="101" />
            <source>Enter 0 in every blank ★ figure (Ctrl+0)</source>
            <translation>在所有空白的★指标中填 0（Ctrl+0）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/figure_sections.py" line="143" />
            <source>Core figure every village informant enters</source>
            <translation>核心指标：村级灾害信息员必须填报</translation>
        </message>
    </context>
    <context>
        <name>FilingCheck</name>
        <message>
            <location filename="../../informant_app/ui/duty/filing_check.py" line="60" />
            <source>A is on duty</source>
            <translation>A 在岗</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/filing_check.py" line="61" />
            <source>A ({name}) is on duty. You can still file as B; the report will be marked “filed by B while A was on duty”.</source>
            <translation>A（{name}）在岗。您仍可以 B 的身份报送；报告将标注“B 报送（A 在岗）”。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/filing_check.py" line="73" />
            <source>File as B</source>
            <translation>以 B 报送</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/filing_check.py" line="76" />
            <source>Back to the form</source>
            <translation>返回报告</translation>
        </message>
    </context>
    <context>
        <name>FormHeader</name>
        <message>
            <location filename="../../informant_app/ui/reports/form_header.py" line="95" />
            <source>Choose the village</source>
            <translation>请选择村（社区）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form_header.py" line="103" />
            <source>New event</source>
            <translation>新灾害过程</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form_header.py" line="108" />
            <source>Empty: named by date, county and type</source>
            <translation>留空则按“日期＋县＋灾种”自动命名</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form_header.py" line="110" />
            <source>Choose the disaster type</source>
            <translation>请选择灾种</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form_header.py" line="116" />
            <source>e.g. 25.1120</source>
            <translation>例如 25.1120</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form_header.py" line="117" />
            <source>e.g. 99.1610</source>
            <translation>例如 99.1610</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form_header.py" line="118" />
            <source>E&amp;mergency response is active</source>
            <translation>已启动应急响应(&amp;M)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form_header.py" line="119" />
            <source>The disaster situation is sta&amp;ble</source>
            <translation>灾情已稳定(&amp;B)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form_header.py" line="127" />
            <source>&amp;Stage</source>
            <translation>报告阶段(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form_header.py" line="128" />
            <source>&amp;Village</source>
            <translation>村（社区）(&amp;V)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form_header.py" line="131" />
            <source>Disaster &amp;event</source>
            <translation>灾害过程(&amp;E)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form_header.py" line="132" />
            <source>Event n&amp;ame</source>
            <translation>过程名称(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form_header.py" line="135" />
            <source>Disaster &amp;type</source>
            <translation>灾种(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form_header.py" line="136" />
            <source>S&amp;ubtype</source>
            <translation>灾害子类(&amp;U)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form_header.py" line="139" />
            <source>&amp;Occurred at</source>
            <translation>发生时间(&amp;O)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form_header.py" line="140" />
            <source>Data &amp;cut-off</source>
            <translation>数据截止时间(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form_header.py" line="143" />
            <source>&amp;Latitude</source>
            <translation>纬度(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form_header.py" line="144" />
            <source>Lon&amp;gitude</source>
            <translation>经度(&amp;G)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form_header.py" line="303" />
            <source>An event is already open in your area: {name}. A new report joins it by default.</source>
            <translation>所属区域已有进行中的灾害过程：{name}；新报告默认归入该过程</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form_header.py" line="364" />
            <source>Same disaster event?</source>
            <translation>是否为同一灾害过程？</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form_header.py" line="366" />
            <source>“{name}” ({type}, occurred {time}) is open in your county. Reports of the same disaster type, county and close time belong to one event.</source>
            <translation>本县（区）已有进行中的灾害过程“{name}”（{type}，发生于 {time}）。同一灾种、同一县（区）、时间相近的报告属于同一灾害过程。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form_header.py" line="377" />
            <source>&amp;Join the open event</source>
            <translation>归入已有过程(&amp;J)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form_header.py" line="378" />
            <source>Open a &amp;new event anyway</source>
            <translation>仍新建(&amp;N)</translation>
        </message>
        <message>
            <source>Emergency response is active</source>
            <translation type="vanished">已启动应急响应</translation>
        </message>
        <message>
            <source>The disaster situation is stable</source>
            <translation type="vanished">灾情已稳定</translation>
        </message>
        <message>
            <source>Stage</source>
            <translation type="vanished">报告阶段</translation>
        </message>
        <message>
            <source>Village</source>
            <translation type="vanished">村（社区）</translation>
        </message>
        <message>
            <source>Disaster event</source>
            <translation type="vanished">灾害过程</translation>
        </message>
        <message>
            <source>Event name</source>
            <translation type="vanished">过程名称</translation>
        </message>
        <message>
            <source>Disaster type</source>
            <translation type="vanished">灾种</translation>
        </message>
        <message>
            <source>Subtype</source>
            <translation type="vanished">灾害子类</translation>
        </message>
        <message>
            <source>Occurred at</source>
            <translation type="vanished">发生时间</translation>
        </message>
        <message>
            <source>Data cut-off</source>
            <translation type="vanished">数据截止时间</translation>
        </message>
        <message>
            <source>Latitude</source>
            <translation type="vanished">纬度</translation>
        </message>
        <message>
            <source>Longitude</source>
            <translation type="vanished">经度</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form_header.py" line="422" />
            <source>(none)</source>
            <translation>（无）</translation>
        </message>
    </context>
    <context>
        <name>GuideDialog</name>
        <message>
            <location filename="../../informant_app/ui/help/guide_dialog.py" line="106" />
            <source>User guide</source>
            <extracomment>The pages in the order the list shows them (file stems in each language's folder). The page that opens first for each role (no account: the informant's page, who files). The folder of each UI language's pages (any other language reads the English ones). A screenshot is never shown wider than this, nor wider than the pane.</extracomment>
            <translation>使用说明</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/help/guide_dialog.py" line="112" />
            <source>Guide pages</source>
            <translation>说明目录</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/help/guide_dialog.py" line="122" />
            <source>Guide page</source>
            <translation>说明内容</translation>
        </message>
    </context>
    <context>
        <name>HandoverPanel</name>
        <message>
            <location filename="../../informant_app/ui/duty/handover_panel.py" line="137" />
            <source>&lt;b&gt;Handovers&lt;/b&gt;</source>
            <translation>&lt;b&gt;交接&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/handover_panel.py" line="138" />
            <source>Only those awaiting sign-off</source>
            <translation>只看待签收的</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/handover_panel.py" line="140" />
            <source>Si&amp;gn off…</source>
            <translation>签收(&amp;G)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/handover_panel.py" line="144" />
            <source>Confirm the handover was complete (the township's sign-off)</source>
            <translation>确认交接已完成（乡镇签收）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/handover_panel.py" line="150" />
            <source>Post</source>
            <translation>岗位</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/handover_panel.py" line="151" />
            <source>Who → whom</source>
            <translation>交接人 → 接手人</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/handover_panel.py" line="152" />
            <source>When</source>
            <translation>时间</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/handover_panel.py" line="153" />
            <source>Why</source>
            <translation>原因</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/handover_panel.py" line="154" />
            <source>Open items</source>
            <translation>未办事项</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/handover_panel.py" line="155" />
            <source>Sign-off</source>
            <translation>签收</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/handover_panel.py" line="282" />
            <source>The handover was signed off.</source>
            <translation>交接已签收。</translation>
        </message>
    </context>
    <context>
        <name>HelpMenu</name>
        <message>
            <location filename="../../informant_app/ui/help/menu.py" line="58" />
            <source>Diagnostic information copied to the clipboard. It has no password and no report contents.</source>
            <extracomment>Returns the account signed in now and its role in words (both ``None`` without one).</extracomment>
            <translation>诊断信息已复制到剪贴板，其中不含密码，也不含报告内容。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/help/menu.py" line="63" />
            <source>&amp;User guide</source>
            <translation>使用说明(&amp;U)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/help/menu.py" line="66" />
            <source>How to file, review and administer, page by role (F1)</source>
            <translation>填报、审核和管理的操作说明，按角色分页（F1）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/help/menu.py" line="68" />
            <source>&amp;About…</source>
            <translation>关于(&amp;A)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/help/menu.py" line="71" />
            <source>&amp;Copy diagnostic information</source>
            <translation>复制诊断信息(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/help/menu.py" line="74" />
            <source>Copy versions, folders, report counts and the sync state to the clipboard, to paste into a message to your township</source>
            <translation>将版本、文件夹、报告数量和同步状态复制到剪贴板，可粘贴到发给乡镇的消息中</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/help/menu.py" line="79" />
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
    </context>
    <context>
        <name>HistoryDialog</name>
        <message>
            <location filename="../../informant_app/ui/reports/history_dialog.py" line="67" />
            <source>Report history</source>
            <translation>报告历史</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/history_dialog.py" line="76" />
            <source>What</source>
            <translation>事项</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/history_dialog.py" line="77" />
            <source>Version</source>
            <translation>版本</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/history_dialog.py" line="78" />
            <source>Who</source>
            <translation>操作人</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/history_dialog.py" line="79" />
            <source>Role</source>
            <translation>角色</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/history_dialog.py" line="80" />
            <source>Device time</source>
            <translation>设备时间</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/history_dialog.py" line="81" />
            <source>Server time</source>
            <translation>服务器时间</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/history_dialog.py" line="82" />
            <source>Details</source>
            <translation>说明</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/history_dialog.py" line="103" />
            <source>not yet known</source>
            <translation>尚未得知</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/history_dialog.py" line="111" />
            <source>No state change recorded yet.</source>
            <translation>尚无状态变更记录。</translation>
        </message>
    </context>
    <context>
        <name>HouseholdEditor</name>
        <message>
            <location filename="../../informant_app/ui/reports/ledger_editor.py" line="175" />
            <source>Head of household</source>
            <translation>户主姓名</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/ledger_editor.py" line="175" />
            <location filename="../../informant_app/ui/reports/ledger_editor.py" line="258" />
            <source>Damage</source>
            <translation>损坏程度</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/ledger_editor.py" line="175" />
            <location filename="../../informant_app/ui/reports/ledger_editor.py" line="264" />
            <source>Rooms</source>
            <translation>间数</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/ledger_editor.py" line="175" />
            <source>Note</source>
            <translation>备注</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/ledger_editor.py" line="184" />
            <source>Add household</source>
            <translation>添加户</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/ledger_editor.py" line="186" />
            <source>Remove household</source>
            <translation>删除户</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/ledger_editor.py" line="207" />
            <source>Collapsed</source>
            <translation>倒塌</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/ledger_editor.py" line="208" />
            <source>Severely damaged</source>
            <translation>严重损坏</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/ledger_editor.py" line="209" />
            <source>Generally damaged</source>
            <translation>一般损坏</translation>
        </message>
    </context>
    <context>
        <name>InformantDuty</name>
        <message>
            <location filename="../../informant_app/ui/duty/informant_duty.py" line="100" />
            <source>Mark me &amp;off duty…</source>
            <extracomment>How often the banner is worked out again. The role that files village reports and gets the banner. The managers whose banner shows the server's alerts (late units, deaths and missing).</extracomment>
            <translation>登记本人离岗(&amp;O)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/informant_duty.py" line="102" />
            <source>You are on leave, away or unreachable for a time; your B is on duty meanwhile</source>
            <translation>您在一段时间内请假、外出或联系不上；期间由您的 B 值班</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/informant_duty.py" line="105" />
            <source>I am &amp;back on duty</source>
            <translation>本人已返岗(&amp;B)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/informant_duty.py" line="107" />
            <source>&amp;Who is on duty</source>
            <translation>谁在值班(&amp;W)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/informant_duty.py" line="109" />
            <source>Show who is on duty at your posts now, why and since when</source>
            <translation>查看您的岗位当前由谁值班、原因及起始时间</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/informant_duty.py" line="206" />
            <source>New event “{event}” for {village}: file the initial report by {time}.</source>
            <translation>{village}有新的灾害过程“{event}”：请于 {time}前报送初报。</translation>
        </message>
        <message>
            <source>Work out again who is on duty and what is due</source>
            <translation type="vanished">重新计算谁在值班、哪些报告到期</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/informant_duty.py" line="307" />
            <source>You are off duty until {time}; your B is on duty.</source>
            <translation>您离岗至 {time}；由您的 B 值班。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/informant_duty.py" line="326" />
            <source>Back on duty</source>
            <translation>返岗</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/informant_duty.py" line="327" />
            <source>End your absence at {post} now and take over from B?</source>
            <translation>现在结束您在{post}的离岗，从 B 手中接回值班？</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/informant_duty.py" line="340" />
            <source>You are on duty again.</source>
            <translation>您已返岗。</translation>
        </message>
    </context>
    <context>
        <name>IssueBox</name>
        <message>
            <location filename="../../informant_app/ui/reports/issue_view.py" line="122" />
            <source>Township: {comment}</source>
            <translation>乡镇审核意见：{comment}</translation>
        </message>
    </context>
    <context>
        <name>LedgerEditor</name>
        <message>
            <location filename="../../informant_app/ui/reports/ledger_editor.py" line="53" />
            <source>Name</source>
            <extracomment>Editing starts by typing, F2 or a click; not by merely arriving on a cell, so Tab can enter the table and leave it again.</extracomment>
            <translation>姓名</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/ledger_editor.py" line="53" />
            <location filename="../../informant_app/ui/reports/ledger_editor.py" line="112" />
            <source>Death or missing</source>
            <translation>死亡／失踪</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/ledger_editor.py" line="60" />
            <source>Add person</source>
            <translation>添加人员</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/ledger_editor.py" line="62" />
            <source>Remove person</source>
            <translation>删除人员</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/ledger_editor.py" line="108" />
            <source>Death</source>
            <translation>死亡</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/ledger_editor.py" line="109" />
            <source>Missing</source>
            <translation>失踪</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="151" />
            <source>Reports</source>
            <translation>报告</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="232" />
            <source>&amp;New report</source>
            <translation>新建报告(&amp;N)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="235" />
            <source>New &amp;continuing report</source>
            <translation>新建续报(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="241" />
            <source>&amp;Revise</source>
            <translation>修改报告(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="244" />
            <source>&amp;Open</source>
            <translation>打开(&amp;O)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="248" />
            <source>&amp;History…</source>
            <translation>历史(&amp;H)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="251" />
            <source>Every state change of the report: who, in which role, device time and server time</source>
            <translation>报告的每一次状态变更：操作人、角色（A/B角）、设备时间和服务器时间</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="255" />
            <source>&amp;Discard draft…</source>
            <translation>删除草稿(&amp;D)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="263" />
            <source>Re&amp;fresh</source>
            <translation>刷新(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="269" />
            <source>&amp;Import reports…</source>
            <translation>导入报告(&amp;I)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="274" />
            <source>&amp;Profile…</source>
            <translation>个人信息(&amp;P)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="275" />
            <source>&amp;Settings…</source>
            <translation>设置(&amp;S)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="277" />
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="282" />
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="289" />
            <source>&amp;Report</source>
            <translation>报告(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="308" />
            <source>&amp;Duty</source>
            <translation>值班(&amp;D)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="316" />
            <source>Report actions</source>
            <translation>报告操作</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="348" />
            <source>Data folder: {path}</source>
            <translation>数据文件夹：{path}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="363" />
            <source>Disaster information reporting</source>
            <translation>灾情信息报送</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="367" />
            <source>{name} ({role})</source>
            <translation>{name}（{role}）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="371" />
            <source>{name} (post {role})</source>
            <translation>{name}（{role}角）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="409" />
            <source>Set up your profile to start reporting.</source>
            <translation>请先填写个人信息，然后开始报灾。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="604" />
            <source>Discard draft</source>
            <translation>删除草稿</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="605" />
            <source>Discard this draft? What was typed in it is lost.</source>
            <translation>确定删除这份草稿吗？其中填写的内容将丢失。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="685" />
            <source>Report submitted and queued: it is sent when the server can be reached.</source>
            <translation>报告已提交，正在排队：能连上服务器时即发送。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="689" />
            <source>Report submitted and delivered: the server has it.</source>
            <translation>报告已提交并已送达：服务器已收到。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="691" />
            <source>Report submitted, but sending it failed: see its line in the list.</source>
            <translation>报告已提交，但发送失败：请查看列表中该报告的那一行。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="694" />
            <source>Report submitted; another version of it differs: see its line in the list.</source>
            <translation>报告已提交，但与另一版本不一致：请查看列表中该报告的那一行。</translation>
        </message>
        <message>
            <source>Report submitted. It waits in the queue until it can be sent.</source>
            <translation type="vanished">报告已提交，正在排队等待发送。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/main_window.py" line="739" />
            <source>Imported {imported} report(s) as drafts; {skipped} were already here.</source>
            <translation>已导入 {imported} 份报告（草稿），{skipped} 份此前已存在。</translation>
        </message>
    </context>
    <context>
        <name>MergeDialog</name>
        <message>
            <location filename="../../informant_app/ui/dashboard/dialogs.py" line="84" />
            <source>Merge disaster events</source>
            <translation>合并灾害过程</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/dialogs.py" line="89" />
            <source>Merge another event into {event}. Its reports keep their event and count in {event} from then on; it leaves the list of open events. Events of the same type only.</source>
            <translation>把另一个灾害过程合并到 {event}。其报告保留原灾害过程，此后计入 {event}，并从进行中的灾害过程中移除。仅限同一灾种。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/dialogs.py" line="104" />
            <source>similar</source>
            <translation>相近</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/dialogs.py" line="110" />
            <source>No other open event of this type in your jurisdiction.</source>
            <translation>本辖区没有其他进行中的同灾种灾害过程。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/dialogs.py" line="116" />
            <source>Merge…</source>
            <translation>合并…</translation>
        </message>
    </context>
    <context>
        <name>NarrativeEditor</name>
        <message>
            <location filename="../../informant_app/ui/reports/narrative_editor.py" line="28" />
            <source>Background, course and features of the disaster, what you saw, the outlook</source>
            <translation>灾害背景、过程和特点，现场所见，发展趋势</translation>
        </message>
    </context>
    <context>
        <name>NewEventNotice</name>
        <message>
            <location filename="../../informant_app/ui/duty/event_notice.py" line="43" />
            <source>New disaster event</source>
            <extracomment>Room kept between the notice and the window's bottom right corner. The notice's width.</extracomment>
            <translation>新的灾害过程</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/event_notice.py" line="49" />
            <source>New event: {event} ({type})</source>
            <translation>新的灾害过程：{event}（{type}）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/event_notice.py" line="63" />
            <source>&amp;File the initial report</source>
            <translation>填写初报(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/event_notice.py" line="66" />
            <source>&amp;Later</source>
            <translation>稍后(&amp;L)</translation>
        </message>
    </context>
    <context>
        <name>OnDutyDialog</name>
        <message>
            <location filename="../../informant_app/ui/duty/on_duty_dialog.py" line="35" />
            <source>Who is on duty</source>
            <translation>谁在值班</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/on_duty_dialog.py" line="40" />
            <source>You hold no post: nobody's duty to show.</source>
            <translation>您没有岗位，无值班信息可显示。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/on_duty_dialog.py" line="46" />
            <source>As last synced with the server; times are China time.</source>
            <translation>以最近一次与服务器同步的数据为准；时间均为北京时间。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/on_duty_dialog.py" line="70" />
            <source>A:</source>
            <translation>A角：</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/on_duty_dialog.py" line="71" />
            <source>B:</source>
            <translation>B角：</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/on_duty_dialog.py" line="74" />
            <source>On duty now:</source>
            <translation>当前值班：</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/on_duty_dialog.py" line="78" />
            <source>Since:</source>
            <translation>起始时间：</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/on_duty_dialog.py" line="90" />
            <source>Nobody: A ({a}) is {why} until {time} and there is no B.</source>
            <translation>无人值班：A角（{a}）{why}，至 {time}，且没有 B角。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/on_duty_dialog.py" line="95" />
            <source>Nobody: the post has no holder.</source>
            <translation>无人值班：该岗位无人任职。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/on_duty_dialog.py" line="98" />
            <source>{name} (B), acting for A ({a}): A is {why} until {time}.</source>
            <translation>{name}（B角），代 A角（{a}）值班：A角{why}，至 {time}。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/on_duty_dialog.py" line="104" />
            <source>{name} (B): the post has no A.</source>
            <translation>{name}（B角）：该岗位没有 A角。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/on_duty_dialog.py" line="105" />
            <source>{name} (A): A is on duty.</source>
            <translation>{name}（A角）：A角在岗。</translation>
        </message>
    </context>
    <context>
        <name>OpenEventDialog</name>
        <message>
            <location filename="../../informant_app/ui/duty/open_event_dialog.py" line="64" />
            <source>Add villages to the event</source>
            <extracomment>The longest event name accepted.</extracomment>
            <translation>为灾害过程增加村</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/open_event_dialog.py" line="66" />
            <source>Open an event for villages</source>
            <translation>为各村启动灾害过程</translation>
        </message>
        <message>
            <source>Each village ticked owes an initial report soon after the opening, then a continuing report every day until the event is closed.</source>
            <translation type="vanished">勾选的每个村须在启动后按时报送初报，此后每天续报，直到灾害过程结束。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/open_event_dialog.py" line="70" />
            <source>Each village ticked owes an initial report on time counted from the time of occurrence (at least 10 minutes after the opening), then a continuing report every day until the event is closed.</source>
            <translation>勾选的每个村须自灾害发生时起按时报送初报（启动后至少留 10 分钟），此后每天续报，直到灾害过程结束。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/open_event_dialog.py" line="80" />
            <source>e.g. 6月1日瓦房乡暴雨</source>
            <translation>例如：6月1日瓦房乡暴雨</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/open_event_dialog.py" line="103" />
            <source>Already opened for this village.</source>
            <translation>已为该村启动。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/open_event_dialog.py" line="104" />
            <source>A&amp;ll</source>
            <translation>全选(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/open_event_dialog.py" line="105" />
            <source>N&amp;one</source>
            <translation>全不选(&amp;O)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/open_event_dialog.py" line="114" />
            <source>&amp;Name</source>
            <translation>名称(&amp;N)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/open_event_dialog.py" line="115" />
            <source>Disaster &amp;type</source>
            <translation>灾种(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/open_event_dialog.py" line="116" />
            <source>&amp;Occurred at</source>
            <translation>发生时间(&amp;O)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/open_event_dialog.py" line="121" />
            <source>&amp;Villages</source>
            <translation>村(&amp;V)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/open_event_dialog.py" line="131" />
            <source>&amp;Add villages</source>
            <translation>增加村(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/open_event_dialog.py" line="131" />
            <source>O&amp;pen event</source>
            <translation>启动(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/open_event_dialog.py" line="202" />
            <source>The event needs a name.</source>
            <translation>请填写灾害过程名称。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/open_event_dialog.py" line="204" />
            <source>Tick at least one village.</source>
            <translation>请至少勾选一个村。</translation>
        </message>
    </context>
    <context>
        <name>PhotoPanel</name>
        <message>
            <location filename="../../informant_app/ui/reports/photo_panel.py" line="65" />
            <source>Add photos…</source>
            <translation>添加照片…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/photo_panel.py" line="67" />
            <source>Remove photo</source>
            <translation>删除照片</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/photo_panel.py" line="140" />
            <source>Add photos</source>
            <translation>添加照片</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/photo_panel.py" line="141" />
            <source>Images (*.jpg *.jpeg *.png *.webp *.bmp *.gif);;All files (*)</source>
            <translation>图片 (*.jpg *.jpeg *.png *.webp *.bmp *.gif);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/photo_panel.py" line="187" />
            <source>Photos: {count}</source>
            <translation>照片：{count} 张</translation>
        </message>
    </context>
    <context>
        <name>PostHistoryDialog</name>
        <message>
            <location filename="../../informant_app/ui/duty/post_history_dialog.py" line="72" />
            <source>Post history</source>
            <translation>岗位历史</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/post_history_dialog.py" line="81" />
            <source>Role</source>
            <translation>角色</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/post_history_dialog.py" line="82" />
            <source>Who</source>
            <translation>人员</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/post_history_dialog.py" line="83" />
            <location filename="../../informant_app/ui/duty/post_history_dialog.py" line="106" />
            <source>From</source>
            <translation>起</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/post_history_dialog.py" line="84" />
            <location filename="../../informant_app/ui/duty/post_history_dialog.py" line="107" />
            <source>To</source>
            <translation>止</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/post_history_dialog.py" line="85" />
            <location filename="../../informant_app/ui/duty/post_history_dialog.py" line="108" />
            <source>Reason</source>
            <translation>原因</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/post_history_dialog.py" line="86" />
            <source>Ended because</source>
            <translation>结束原因</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/post_history_dialog.py" line="93" />
            <source>now</source>
            <translation>至今</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/post_history_dialog.py" line="104" />
            <source>A</source>
            <translation>A</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/post_history_dialog.py" line="105" />
            <location filename="../../informant_app/ui/duty/post_history_dialog.py" line="130" />
            <source>Why</source>
            <translation>离岗类型</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/post_history_dialog.py" line="109" />
            <source>Marked by</source>
            <translation>登记人</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/post_history_dialog.py" line="127" />
            <source>When</source>
            <translation>时间</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/post_history_dialog.py" line="128" />
            <source>What</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/post_history_dialog.py" line="129" />
            <source>Who → whom</source>
            <translation>交接人 → 接手人</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/post_history_dialog.py" line="131" />
            <source>Open items</source>
            <translation>未办事项</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/post_history_dialog.py" line="132" />
            <source>Sign-off</source>
            <translation>签收</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/post_history_dialog.py" line="148" />
            <source>&amp;Assignments ({n})</source>
            <translation>任职(&amp;A)（{n}）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/post_history_dialog.py" line="151" />
            <source>A &amp;off duty ({n})</source>
            <translation>A 离岗(&amp;O)（{n}）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/post_history_dialog.py" line="154" />
            <source>&amp;Handovers ({n})</source>
            <translation>交接(&amp;H)（{n}）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/post_history_dialog.py" line="168" />
            <source>{time} (back early; planned {planned})</source>
            <translation>{time}（提前返岗；原定 {planned}）</translation>
        </message>
    </context>
    <context>
        <name>ProfileDialog</name>
        <message>
            <location filename="../../informant_app/ui/account/profile_dialog.py" line="42" />
            <source>Informant profile</source>
            <translation>灾害信息员信息</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/profile_dialog.py" line="45" />
            <source>Tell us who reports from this computer. Reports are filed for the villages you choose here.</source>
            <translation>请填写在这台电脑上报灾的人员信息。报告将以这里选择的村（社区）名义报送。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/profile_dialog.py" line="57" />
            <source>e.g. 13800000000</source>
            <translation>例如 13800000000</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/profile_dialog.py" line="58" />
            <source>A (primary: files the reports)</source>
            <translation>A角（主要信息员：负责报送）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/profile_dialog.py" line="59" />
            <source>B (backup: takes over when A is away)</source>
            <translation>B角（后备信息员：A角不在时接替）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/profile_dialog.py" line="81" />
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/profile_dialog.py" line="82" />
            <source>Phone</source>
            <translation>电话</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/profile_dialog.py" line="83" />
            <source>Role on the post</source>
            <translation>岗位</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/profile_dialog.py" line="101" />
            <source>Please enter your name.</source>
            <translation>请填写姓名。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/profile_dialog.py" line="104" />
            <source>Please enter a phone number we can reach you on (at least 7 digits).</source>
            <translation>请填写能联系到您的电话号码（至少 7 位数字）。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/profile_dialog.py" line="107" />
            <source>Choose at least one village you report for.</source>
            <translation>请至少选择一个负责报灾的村（社区）。</translation>
        </message>
    </context>
    <context>
        <name>ProgressDialog</name>
        <message>
            <location filename="../../informant_app/ui/tasks/progress.py" line="101" />
            <source>Working…</source>
            <extracomment>The most progress reports a job sends the GUI thread per second. A job shorter than this shows no dialog.</extracomment>
            <translation>正在处理…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/tasks/progress.py" line="104" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/tasks/progress.py" line="150" />
            <source>Checking records: {done} of {total}…</source>
            <translation>正在检查记录：{done}/{total}…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/tasks/progress.py" line="152" />
            <source>Writing…</source>
            <translation>正在写入…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/tasks/progress.py" line="153" />
            <source>Preparing…</source>
            <translation>正在准备…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/tasks/progress.py" line="160" />
            <source>Cancelling…</source>
            <translation>正在取消…</translation>
        </message>
    </context>
    <context>
        <name>ReasonDialog</name>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="120" />
            <source>Return the report</source>
            <extracomment>The figure drawn first. Export formats: key, file suffix.</extracomment>
            <translation>退回报表</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/page.py" line="125" />
            <source>Why is the report of {unit} returned? It goes back with this reason.</source>
            <translation>为什么退回{unit}的报表？退回时附上此原因。</translation>
        </message>
    </context>
    <context>
        <name>RegisterDialog</name>
        <message>
            <location filename="../../informant_app/ui/admin/register_dialog.py" line="163" />
            <source>Register import: {file}</source>
            <translation>花名册导入：{file}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/register_dialog.py" line="185" />
            <source>&amp;Save report…</source>
            <translation>保存报告(&amp;S)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/register_dialog.py" line="188" />
            <source>The same sheet with a column saying what happens to each row (.xlsx)</source>
            <translation>原表加一列，说明每行的处理结果（.xlsx）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/register_dialog.py" line="192" />
            <source>&amp;Import</source>
            <translation>导入(&amp;I)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/register_dialog.py" line="222" />
            <source>Imported {rows} row(s): {created} new account(s), {updated} updated, {unchanged} unchanged.</source>
            <translation>已导入 {rows} 行：新建 {created} 个账号，更新 {updated} 个，{unchanged} 个不变。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/register_dialog.py" line="227" />
            <source>Dry run of {rows} row(s), nothing changed yet: {created} new account(s), {updated} to update, {unchanged} unchanged, {refused} refused.</source>
            <translation>试导入 {rows} 行，尚未做任何修改：将新建 {created} 个账号，更新 {updated} 个，{unchanged} 个不变，拒绝 {refused} 行。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/register_dialog.py" line="231" />
            <source>Nothing was imported: {refused} row(s) refused.</source>
            <translation>没有导入任何内容：拒绝 {refused} 行。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/register_dialog.py" line="237" />
            <source>The register has been imported.</source>
            <translation>花名册已导入。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/register_dialog.py" line="241" />
            <source>The import takes every row or none: correct the refused rows in the sheet and choose it again.</source>
            <translation>导入要么全部成功，要么全不导入：请在表格中改正被拒绝的行，再重新选择文件。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/register_dialog.py" line="247" />
            <source>{refused} row(s) refused (listed first). Nothing can be imported until they are corrected; save the report to see the reasons beside each row.</source>
            <translation>有 {refused} 行被拒绝（列在最前）。改正之前无法导入；保存报告可在每行旁看到原因。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/register_dialog.py" line="253" />
            <source>Nothing to change: the register is imported.</source>
            <translation>没有需要修改的内容：花名册已导入。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/register_dialog.py" line="256" />
            <source>Create and update the accounts and posts, all in one go</source>
            <translation>一次性新建和更新账号及岗位</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/register_dialog.py" line="264" />
            <source>Save the register report</source>
            <translation>保存花名册检查报告</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/register_dialog.py" line="265" />
            <source>{stem} report.xlsx</source>
            <translation>{stem} 检查报告.xlsx</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/register_dialog.py" line="266" />
            <source>Excel workbook (*.xlsx)</source>
            <translation>Excel 工作簿 (*.xlsx)</translation>
        </message>
    </context>
    <context>
        <name>RegisterRowsModel</name>
        <message>
            <location filename="../../informant_app/ui/admin/register_dialog.py" line="96" />
            <source>Row</source>
            <extracomment>The order rows are listed in: refused first, then new accounts, updates, unchanged.</extracomment>
            <translation>行号</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/register_dialog.py" line="97" />
            <source>Result</source>
            <translation>结果</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/register_dialog.py" line="98" />
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/register_dialog.py" line="99" />
            <source>Phone</source>
            <translation>电话</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/register_dialog.py" line="100" />
            <source>Post code</source>
            <translation>岗位代码</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/register_dialog.py" line="101" />
            <source>A/B</source>
            <translation>A/B角</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/register_dialog.py" line="102" />
            <source>User name</source>
            <translation>用户名</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/register_dialog.py" line="103" />
            <source>Reason</source>
            <translation>原因</translation>
        </message>
    </context>
    <context>
        <name>ReportDetailLine</name>
        <message>
            <location filename="../../informant_app/ui/reports/detail.py" line="55" />
            <source>Approved by the township: these figures are frozen. A later change comes as a new continuing report or a new version.</source>
            <translation>乡镇已审核通过：数据已锁定。此后的变化请报续报或新版本。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/detail.py" line="63" />
            <source>{received} of {total} photos received.</source>
            <translation>服务器已收到 {total} 张照片中的 {received} 张。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/detail.py" line="82" />
            <source>Returned by the township: {reason}. Open it to see the comments, then choose Revise to correct it and submit again.</source>
            <translation>乡镇已退回：{reason}。打开报告查看审核意见，然后选择“修改”更正后重新提交。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/detail.py" line="90" />
            <source>Draft: only on this computer until you submit it.</source>
            <translation>草稿：报送之前只保存在本机。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/detail.py" line="93" />
            <source>Waiting to be sent; it goes out by itself when the server can be reached.</source>
            <translation>等待发送；能连上服务器时会自动发出。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/detail.py" line="96" />
            <source>Being sent to the server.</source>
            <translation>正在发送到服务器。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/detail.py" line="98" />
            <source>Received by the server.</source>
            <translation>服务器已收到。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/detail.py" line="101" />
            <source>Revised on another device at the same time: open it to compare the two versions and choose.</source>
            <translation>另一台设备同时修改了这份报告：打开它，对比两个版本并作出选择。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/detail.py" line="106" />
            <source>The server refused this version: {message}. Revise it, or retry if the problem is fixed.</source>
            <translation>服务器退回了这个版本：{message}。请修改后重报，或在问题解决后重新发送。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/detail.py" line="84" />
            <location filename="../../informant_app/ui/reports/detail.py" line="108" />
            <source>no reason given</source>
            <translation>未说明原因</translation>
        </message>
    </context>
    <context>
        <name>ReportFilterBar</name>
        <message>
            <location filename="../../informant_app/ui/reports/filter_bar.py" line="34" />
            <source>All events</source>
            <translation>全部灾害过程</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/filter_bar.py" line="37" />
            <source>All stages</source>
            <translation>全部阶段</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/filter_bar.py" line="42" />
            <source>All states</source>
            <translation>全部状态</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/filter_bar.py" line="47" />
            <source>All review statuses</source>
            <translation>全部审核状态</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/filter_bar.py" line="49" />
            <source>Pending review</source>
            <translation>待审核</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/filter_bar.py" line="50" />
            <source>Returned</source>
            <translation>已退回</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/filter_bar.py" line="51" />
            <source>Approved</source>
            <translation>已通过</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/filter_bar.py" line="57" />
            <source>Event</source>
            <translation>灾害过程</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/filter_bar.py" line="58" />
            <source>Stage</source>
            <translation>阶段</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/filter_bar.py" line="59" />
            <source>State</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/filter_bar.py" line="60" />
            <source>Review</source>
            <translation>审核</translation>
        </message>
    </context>
    <context>
        <name>ReportForm</name>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="149" />
            <source>Disaster report</source>
            <extracomment>Quiet time after the last keystroke before the draft is saved and checked. Fields whose emptiness is not shown as a problem until left once or submitted.</extracomment>
            <translation>灾情报告</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="165" />
            <source>Report</source>
            <translation>报告</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="168" />
            <source>Situation &amp;narrative</source>
            <translation>灾情文字说明(&amp;N)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="169" />
            <source>&amp;Photos</source>
            <translation>照片(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="171" />
            <source>Name le&amp;dger of the dead and missing</source>
            <translation>死亡失踪人员名单(&amp;D)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="175" />
            <source>&amp;Household ledger of collapsed and damaged houses</source>
            <translation>倒塌损坏房屋户数台账(&amp;H)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="184" />
            <source>Situation narrative</source>
            <translation>灾情文字说明</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="185" />
            <source>Photos</source>
            <translation>照片</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="186" />
            <source>Name ledger of the dead and missing</source>
            <translation>死亡失踪人员名单</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="188" />
            <source>Household ledger of collapsed and damaged houses</source>
            <translation>倒塌损坏房屋户数台账</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="192" />
            <source>&amp;Revise report</source>
            <translation>修改报告(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="194" />
            <source>Make a new version to correct and submit again</source>
            <translation>生成新版本，更正后重新提交</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="196" />
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="198" />
            <source>Submit</source>
            <translation>提交</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="200" />
            <source>Submit the report (Ctrl+Enter)</source>
            <translation>提交报告（Ctrl+Enter）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="384" />
            <source>This version was submitted and can no longer be changed. To correct it, choose Revise in the report list.</source>
            <translation>此版本已提交，不能再修改。如需更正，请在报告列表中选择“修改报告”。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="397" />
            <source>Editing…</source>
            <translation>正在编辑…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="438" />
            <source>Saved at {time}</source>
            <translation>已于 {time} 保存</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="444" />
            <source>Not saved</source>
            <translation>未保存</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="504" />
            <source>★ figure left blank: enter 0 if none (Ctrl+0 fills every blank ★)</source>
            <translation>★ 项未填：没有请填 0（Ctrl+0 将所有空白★项填 0）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="523" />
            <source>Choose the disaster type</source>
            <translation>请选择灾种</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="525" />
            <source>Choose the village</source>
            <translation>请选择村（社区）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="574" />
            <source>Everything marked is fixed: submit again (Ctrl+Enter).</source>
            <translation>标出的问题都已改正，请再次提交（Ctrl+Enter）。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="585" />
            <source>{n} problem(s) marked in red</source>
            <translation>红色标出的问题 {n} 个</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="588" />
            <source>{n} blank ★ figure(s) (Ctrl+0 fills them with 0)</source>
            <translation>空白★项 {n} 个（按 Ctrl+0 全部填 0）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="591" />
            <source>{n} warning(s) without a note</source>
            <translation>未填说明的提醒 {n} 个</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="592" />
            <source>Not submitted: {parts}. First: {field}.</source>
            <translation>未提交：{parts}。第一个：{field}。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="593" />
            <source>; </source>
            <translation>；</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="627" />
            <source>Approved by the township ({who}): these figures are frozen.</source>
            <translation>乡镇（{who}）已审核通过：数据已锁定。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="634" />
            <source>Choose “Revise report” to correct it and submit again.</source>
            <translation>请点击“修改报告”更正后重新提交。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="636" />
            <source>Correct the fields marked “Township” and submit again.</source>
            <translation>请更正标有“乡镇审核意见”的各项后重新提交。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/form.py" line="638" />
            <source>Returned by the township ({who}): {reason}</source>
            <translation>乡镇（{who}）退回：{reason}</translation>
        </message>
        <message>
            <source>Not submitted: correct the {errors} problem(s) marked in red and add a note to each of the {warnings} remaining warning(s).</source>
            <translation type="vanished">未提交：请改正红色标出的 {errors} 个问题，并为其余 {warnings} 个提醒分别填写说明。</translation>
        </message>
    </context>
    <context>
        <name>ReportImporter</name>
        <message>
            <location filename="../../informant_app/ui/reports/import_action.py" line="61" />
            <source>Import reports</source>
            <extracomment>Problems listed in the refusal message; the rest are counted.</extracomment>
            <translation>导入报告</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/import_action.py" line="62" />
            <source>Report files (*.json);;All files (*)</source>
            <translation>报告文件 (*.json);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/import_action.py" line="77" />
            <source>Importing reports</source>
            <translation>正在导入报告</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/import_action.py" line="103" />
            <source>The import was cancelled; nothing was imported.</source>
            <translation>导入已取消，未导入任何报告。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/import_action.py" line="111" />
            <source>… and {count} more</source>
            <translation>……另有 {count} 处问题</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/import_action.py" line="112" />
            <source>Nothing was imported:</source>
            <translation>未导入任何报告：</translation>
        </message>
    </context>
    <context>
        <name>ReportState</name>
        <message>
            <location filename="../../informant_app/ui/common/labels.py" line="46" />
            <source>Draft</source>
            <extracomment>The marker colour of each state in the report list. Colours of issue messages. Colour of a stand-in text (an event not named yet).</extracomment>
            <translation>草稿</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/labels.py" line="47" />
            <source>Queued</source>
            <translation>待发送</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/labels.py" line="48" />
            <source>Sending</source>
            <translation>发送中</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/labels.py" line="49" />
            <source>Delivered</source>
            <translation>已送达</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/labels.py" line="50" />
            <source>Conflict</source>
            <translation>冲突</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/labels.py" line="51" />
            <source>Error</source>
            <translation>出错</translation>
        </message>
    </context>
    <context>
        <name>ReportTableModel</name>
        <message>
            <location filename="../../informant_app/ui/reports/table_model.py" line="191" />
            <source>State</source>
            <extracomment>States whose row carries a message from the server.</extracomment>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/table_model.py" line="192" />
            <source>Stage</source>
            <translation>阶段</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/table_model.py" line="193" />
            <source>Event</source>
            <translation>灾害过程</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/table_model.py" line="194" />
            <source>Village</source>
            <translation>村（社区）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/table_model.py" line="195" />
            <source>Disaster type</source>
            <translation>灾种</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/table_model.py" line="196" />
            <source>Affected</source>
            <translation>受灾人口</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/table_model.py" line="197" />
            <source>Deaths</source>
            <translation>死亡</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/table_model.py" line="198" />
            <source>Direct loss (10k CNY)</source>
            <translation>直接经济损失（万元）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/table_model.py" line="199" />
            <source>Photos</source>
            <translation>照片</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/table_model.py" line="200" />
            <source>Updated</source>
            <translation>更新时间</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/table_model.py" line="226" />
            <source>{received} of {total} photos received by the server</source>
            <translation>服务器已收到 {total} 张照片中的 {received} 张</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/reports/table_model.py" line="243" />
            <source>(named when submitted)</source>
            <translation>（提交时命名）</translation>
        </message>
    </context>
    <context>
        <name>ReturnDialog</name>
        <message>
            <location filename="../../informant_app/ui/review/return_dialog.py" line="59" />
            <source>Return the report to the village</source>
            <extracomment>The longest reason and comment accepted.</extracomment>
            <translation>将报告退回村</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/return_dialog.py" line="69" />
            <source>Why does the report go back? The village informant reads this first.</source>
            <translation>为什么退回？村信息员首先看到这里的说明。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/return_dialog.py" line="74" />
            <source>A reason is required to return a report.</source>
            <translation>退回报告必须填写原因。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/return_dialog.py" line="77" />
            <source>&amp;Reason (required)</source>
            <translation>退回原因(&amp;R)（必填）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/return_dialog.py" line="90" />
            <source>Comment on this field</source>
            <translation>对该项的意见</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/return_dialog.py" line="91" />
            <source>&amp;Add comment</source>
            <translation>添加意见(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/return_dialog.py" line="94" />
            <source>Re&amp;move</source>
            <translation>删除(&amp;M)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/return_dialog.py" line="98" />
            <source>Field</source>
            <translation>项目</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/return_dialog.py" line="98" />
            <source>Comment</source>
            <translation>意见</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/return_dialog.py" line="105" />
            <source>Comments on single fields (optional)</source>
            <translation>对具体项目的意见（可选）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/return_dialog.py" line="120" />
            <source>&amp;Return</source>
            <translation>退回(&amp;R)</translation>
        </message>
    </context>
    <context>
        <name>Review</name>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="47" />
            <source>Pending review</source>
            <extracomment>The marker colour of each review status. Colour of the "overdue" mark. Colour of the "waiting to be sent" mark of a decision made here. Background of a figure that changed since the previous report. Content keys a comment may name after the indicators.</extracomment>
            <translation>待审核</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="48" />
            <location filename="../../informant_app/ui/common/review_labels.py" line="72" />
            <location filename="../../informant_app/ui/common/review_labels.py" line="101" />
            <source>Returned</source>
            <translation>已退回</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="49" />
            <location filename="../../informant_app/ui/common/review_labels.py" line="71" />
            <location filename="../../informant_app/ui/common/review_labels.py" line="102" />
            <source>Approved</source>
            <translation>已通过</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="59" />
            <source>Overdue</source>
            <translation>超时</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="64" />
            <source>To send</source>
            <translation>待发送</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="82" />
            <source>waiting to be sent</source>
            <translation>等待发送</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="83" />
            <source>applied by the server</source>
            <translation>服务器已生效</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="84" />
            <source>not applied: the version was superseded</source>
            <translation>未生效：该版本已被新版本取代</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="87" />
            <source>refused by the server</source>
            <translation>被服务器拒绝</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="98" />
            <source>Submitted</source>
            <translation>提交</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="99" />
            <source>Received by the server</source>
            <translation>服务器收到</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="100" />
            <source>Conflict</source>
            <translation>冲突</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="103" />
            <source>Resubmitted</source>
            <translation>重新提交</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="104" />
            <source>Refused by the server</source>
            <translation>被服务器拒绝</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="105" />
            <source>Decision waiting to be sent</source>
            <translation>审核决定等待发送</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="106" />
            <source>Decision not applied (the version was superseded)</source>
            <translation>审核决定未生效（该版本已被取代）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="109" />
            <source>Decision refused by the server</source>
            <translation>审核决定被服务器拒绝</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="125" />
            <source>From a device set up with a code issued at the server</source>
            <translation>经设置码登录的设备（由服务器管理员发放）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="128" />
            <source>From a device set up with a code issued by {name}</source>
            <translation>经设置码登录的设备（由 {name} 发放）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="145" />
            <source>Filing time corrected to the server's clock (the device clock was about {amount} fast)</source>
            <translation>填报时间已按服务器时间校正（填报设备时钟快约 {amount}）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="151" />
            <source>Filing time corrected to the server's clock (the device clock was about {amount} slow)</source>
            <translation>填报时间已按服务器时间校正（填报设备时钟慢约 {amount}）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="158" />
            <source>Filing time lay more than {days} days before the server received it: the receipt time is kept</source>
            <translation>填报时间早于服务器收到时间 {days} 天以上，已按收到时间记录</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="164" />
            <source>Filing time lay after the server received it: the receipt time is kept</source>
            <translation>填报时间晚于服务器收到时间，已按收到时间记录</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="171" />
            <source>The device claimed it was filed at {claimed}; the server keeps {kept}.</source>
            <translation>填报设备所报的填报时间：{claimed}；服务器记录为：{kept}。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="184" />
            <source>{role} post</source>
            <translation>{role}角</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="191" />
            <source>{name} ({role})</source>
            <translation>{name}（{role}）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/common/review_labels.py" line="206" />
            <source>{field}: {comment}</source>
            <translation>{field}：{comment}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/queue_model.py" line="94" />
            <source>{status}: {reason}</source>
            <translation>{status}：{reason}</translation>
        </message>
    </context>
    <context>
        <name>ReviewDetailDialog</name>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="112" />
            <source>Review: {title}</source>
            <extracomment>Events of a version's filing: their entry carries its sign-in path and time correction.</extracomment>
            <translation>审核：{title}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="121" />
            <source>Only fields with a value or a change</source>
            <translation>只显示有数值或有变化的项</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="136" />
            <source>&amp;Approve</source>
            <translation>通过(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="138" />
            <source>&amp;Return…</source>
            <translation>退回(&amp;R)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="140" />
            <source>&amp;History…</source>
            <translation>历史(&amp;H)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="141" />
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="176" />
            <source>Filed by</source>
            <translation>填报人</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="177" />
            <source>Disaster type</source>
            <translation>灾种</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="178" />
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="224" />
            <source>Submitted (device time)</source>
            <translation>提交时间（设备）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="179" />
            <source>Received (server time)</source>
            <translation>接收时间（服务器）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="232" />
            <source>Submitted (corrected by the server)</source>
            <translation>提交时间（服务器已校正）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="241" />
            <source>{event} by {who}: {signin}</source>
            <translation>{who} {event}：{signin}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="255" />
            <source>Field</source>
            <translation>项目</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="256" />
            <source>This version</source>
            <translation>本次报告</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="257" />
            <source>Previous report</source>
            <translation>上次报告</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="257" />
            <source>(no previous report)</source>
            <translation>（无上次报告）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="283" />
            <source>Changed since the previous report</source>
            <translation>与上次报告相比有变化</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="291" />
            <source>Rule warnings and the informant's notes</source>
            <translation>审核关系提示及信息员说明</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="306" />
            <source>Note: {note}</source>
            <translation>说明：{note}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="308" />
            <source>(no note)</source>
            <translation>（无说明）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="315" />
            <source>No rule warnings.</source>
            <translation>没有审核关系提示。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="317" />
            <source>Situation narrative</source>
            <translation>灾情文字说明</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="334" />
            <source>{decision} by {who} at {time} ({state})</source>
            <translation>{who} 于 {time} {decision}（{state}）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="354" />
            <source>{decision} here; waits to be sent with the next sync.</source>
            <translation>已在本机{decision}；将在下次同步时发送。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="358" />
            <source>Reason: {reason}</source>
            <translation>原因：{reason}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="375" />
            <source>The village has sent a newer version since: review that one.</source>
            <translation>村里此后已报送新版本：请审核新版本。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="379" />
            <source>Approved figures are frozen: a change comes as a new report from the village.</source>
            <translation>已通过的数据已锁定：如有变化，须由村里报送新报告。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/detail_dialog.py" line="382" />
            <source>Your decision waits to be sent.</source>
            <translation>您的审核决定等待发送。</translation>
        </message>
    </context>
    <context>
        <name>ReviewFilterBar</name>
        <message>
            <location filename="../../informant_app/ui/review/filter_bar.py" line="33" />
            <source>All events</source>
            <translation>全部灾害过程</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/filter_bar.py" line="36" />
            <source>All stages</source>
            <translation>全部阶段</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/filter_bar.py" line="41" />
            <source>All villages</source>
            <translation>全部村</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/filter_bar.py" line="44" />
            <source>All statuses</source>
            <translation>全部状态</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/filter_bar.py" line="50" />
            <source>Event</source>
            <translation>灾害过程</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/filter_bar.py" line="51" />
            <source>Stage</source>
            <translation>阶段</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/filter_bar.py" line="52" />
            <source>Village</source>
            <translation>村</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/filter_bar.py" line="53" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
    </context>
    <context>
        <name>ReviewQueueModel</name>
        <message>
            <location filename="../../informant_app/ui/review/queue_model.py" line="200" />
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/queue_model.py" line="201" />
            <source>Village</source>
            <translation>村</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/queue_model.py" line="202" />
            <source>Event</source>
            <translation>灾害过程</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/queue_model.py" line="203" />
            <source>Stage</source>
            <translation>阶段</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/queue_model.py" line="204" />
            <source>Filed by</source>
            <translation>填报人</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/queue_model.py" line="205" />
            <source>Filed as</source>
            <translation>报送身份</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/queue_model.py" line="206" />
            <source>Submitted</source>
            <translation>提交时间</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/queue_model.py" line="207" />
            <source>Received (server)</source>
            <translation>接收时间（服务器）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/queue_model.py" line="208" />
            <source>Affected</source>
            <translation>受灾人口</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/queue_model.py" line="209" />
            <source>Direct loss (10k CNY)</source>
            <translation>直接经济损失（万元）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/queue_model.py" line="210" />
            <source>Warnings</source>
            <translation>提示</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/queue_model.py" line="254" />
            <source>Your decision waits to be sent; it goes out with the next sync.</source>
            <translation>您的审核决定等待发送，将在下次同步时发出。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/queue_model.py" line="257" />
            <source>Waiting longer than the review deadline.</source>
            <translation>等待时间已超过审核时限。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/queue_model.py" line="307" />
            <source>{time} (corrected)</source>
            <translation>{time}（已校正）</translation>
        </message>
    </context>
    <context>
        <name>ReviewQueuePage</name>
        <message>
            <location filename="../../informant_app/ui/review/queue_page.py" line="142" />
            <source>&amp;Open…</source>
            <extracomment>The columns that give way when the queue is wider than the table, least important first. How wide a column grows for its longest text, in CJK characters (a return's reason is elided there and shown whole as the tooltip). How narrow each column may become, in CJK characters.</extracomment>
            <translation>审阅(&amp;O)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/queue_page.py" line="143" />
            <source>&amp;Approve</source>
            <translation>通过(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/queue_page.py" line="145" />
            <source>Re&amp;turn…</source>
            <translation>退回(&amp;T)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/queue_page.py" line="147" />
            <source>&amp;History…</source>
            <translation>历史(&amp;H)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/queue_page.py" line="148" />
            <source>Every state change of the report (Ctrl+H)</source>
            <translation>报告的每一次状态变更（Ctrl+H）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/queue_page.py" line="304" />
            <source>{total} report(s) · {waiting} waiting · {overdue} overdue · {to_send} decision(s) to send</source>
            <translation>共 {total} 份 · 待审核 {waiting} · 超时 {overdue} · 待发送决定 {to_send}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/queue_page.py" line="377" />
            <location filename="../../informant_app/ui/review/queue_page.py" line="387" />
            <source>Approve</source>
            <translation>通过</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/queue_page.py" line="379" />
            <source>Approve {title}? Approved figures are frozen and count in the township's report.</source>
            <translation>通过 {title}？通过后数据锁定，并计入乡镇报表。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/review/queue_page.py" line="433" />
            <source>{decision}: the decision waits to be sent.</source>
            <translation>{decision}：审核决定等待发送。</translation>
        </message>
    </context>
    <context>
        <name>ReviewWorkspace</name>
        <message>
            <location filename="../../informant_app/ui/window/review_workspace.py" line="113" />
            <source>{n} decision(s) were not applied: the village sent a newer version, or the server refused them. See the report's history.</source>
            <extracomment>The role that gets the workspace.</extracomment>
            <translation>有 {n} 个审核决定未生效：村里已报送新版本，或被服务器拒绝。请查看报告历史。</translation>
        </message>
    </context>
    <context>
        <name>RevokeDialog</name>
        <message>
            <location filename="../../informant_app/ui/admin/revoke_dialog.py" line="33" />
            <source>Sign out devices of {name}</source>
            <translation>登出 {name} 的设备</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/revoke_dialog.py" line="37" />
            <source>A device signed out must sign in again (with the password or a new set-up code) before it can sync. Reports it already sent stay on the server.</source>
            <translation>被登出的设备必须重新登录（用密码或新的设置码）才能同步。已发送的报告仍保留在服务器上。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/revoke_dialog.py" line="46" />
            <source>All devices of {name}</source>
            <translation>{name} 的全部设备</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/revoke_dialog.py" line="49" />
            <source>signed in</source>
            <translation>已登录</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/revoke_dialog.py" line="49" />
            <source>signed out</source>
            <translation>已登出</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/revoke_dialog.py" line="51" />
            <source>{name} ({state}, last seen {time})</source>
            <translation>{name}（{state}，最后联系 {time}）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/revoke_dialog.py" line="57" />
            <source>&amp;Device</source>
            <translation>设备(&amp;D)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/revoke_dialog.py" line="62" />
            <source>Sign out</source>
            <translation>登出</translation>
        </message>
    </context>
    <context>
        <name>RoleLayout</name>
        <message>
            <location filename="../../informant_app/ui/window/role_layout.py" line="139" />
            <source>Dashboard</source>
            <extracomment>The role that files village reports.</extracomment>
            <translation>灾情总览</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/role_layout.py" line="162" />
            <source>Administration</source>
            <translation>账号管理</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/role_layout.py" line="213" />
            <source>Review queue</source>
            <translation>审核</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/role_layout.py" line="214" />
            <source>Township report</source>
            <translation>乡镇报表</translation>
        </message>
    </context>
    <context>
        <name>RosterModel</name>
        <message>
            <location filename="../../informant_app/ui/duty/roster_model.py" line="82" />
            <source>A's absence in force now, or the next one planned</source>
            <translation>A角当前的离岗，或下一次计划的离岗</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_model.py" line="86" />
            <source>Post</source>
            <translation>岗位</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_model.py" line="87" />
            <source>A (phone)</source>
            <translation>A（电话）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_model.py" line="88" />
            <source>B (phone)</source>
            <translation>B（电话）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_model.py" line="89" />
            <source>On duty now</source>
            <translation>当前值班</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_model.py" line="90" />
            <source>A off duty</source>
            <translation>A 离岗</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_model.py" line="136" />
            <source>Nobody on duty</source>
            <translation>无人值班</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_model.py" line="138" />
            <source>{name} (B, acting for A {a})</source>
            <translation>{name}（B，代 A {a}）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_model.py" line="140" />
            <source>{name} ({role})</source>
            <translation>{name}（{role}）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_model.py" line="156" />
            <source>You may look at this post but not change it.</source>
            <translation>您可以查看该岗位，但不能更改。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_model.py" line="161" />
            <source>Nobody holds this role.</source>
            <translation>该角色无人任职。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_model.py" line="162" />
            <source>{name} ({username}), since {time}</source>
            <translation>{name}（{username}），自 {time} 起</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_model.py" line="176" />
            <source>Neither A nor B can take reports at this post now.</source>
            <translation>该岗位目前 A 和 B 都无法报送。</translation>
        </message>
    </context>
    <context>
        <name>RosterPage</name>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="121" />
            <source>Filter by place or name</source>
            <extracomment>A server's answer, between ``fetch_then_save``'s two steps. Each roster column's share of the room left over (post, A, B, on duty now, A off duty). How often the on-duty column is worked out again from the cached roster (absences start and end with time).</extracomment>
            <translation>按地方或姓名筛选</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="124" />
            <source>F&amp;ind</source>
            <translation>查找(&amp;I)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="151" />
            <source>Assign &amp;A…</source>
            <translation>指定 A(&amp;A)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="153" />
            <source>Assign or replace the post's A (Alt+A)</source>
            <translation>指定或替换该岗位的 A（Alt+A）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="157" />
            <source>Assign &amp;B…</source>
            <translation>指定 B(&amp;B)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="159" />
            <source>Assign or replace the post's B (Alt+B)</source>
            <translation>指定或替换该岗位的 B（Alt+B）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="163" />
            <source>E&amp;nd assignment…</source>
            <translation>结束任职(&amp;N)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="165" />
            <source>A holder leaves the post (Alt+N)</source>
            <translation>任职人员离开该岗位（Alt+N）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="169" />
            <source>Mark A &amp;off duty…</source>
            <translation>登记 A 离岗(&amp;O)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="171" />
            <source>A is on leave, away or unreachable for a time; B is on duty (Alt+O)</source>
            <translation>A 一段时间内请假、外出或联系不上；由 B 值班（Alt+O）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="175" />
            <source>A is bac&amp;k</source>
            <translation>A 已返岗(&amp;K)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="177" />
            <source>End A's absence now; A is on duty again (Alt+K)</source>
            <translation>现在结束 A 的离岗；A 重新在岗（Alt+K）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="181" />
            <source>His&amp;tory…</source>
            <translation>历史(&amp;T)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="183" />
            <source>Assignments, absences and handovers of the post (Alt+T, or Enter)</source>
            <translation>该岗位的任职、离岗和交接记录（Alt+T 或回车）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="187" />
            <source>Set-up co&amp;de…</source>
            <translation>设置码(&amp;D)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="190" />
            <source>A one-time code that signs the holder in on a new computer without a password (Alt+D)</source>
            <translation>生成一次性设置码，岗位人员用它在新电脑上登录，无需密码（Alt+D）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="196" />
            <source>R&amp;efresh</source>
            <translation>刷新(&amp;E)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="198" />
            <source>Fetch the roster from the server (Alt+E)</source>
            <translation>从服务器获取岗位名册（Alt+E）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="272" />
            <source>Fetching the roster from the server…</source>
            <translation>正在从服务器获取岗位名册…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="322" />
            <source>Offline: this is the roster as last received ({n} post(s)). Changes need the server.</source>
            <translation>离线：显示的是最近一次收到的名册（{n} 个岗位）。更改需要连接服务器。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="329" />
            <source>{n} post(s), fetched from the server at {time}.</source>
            <translation>{n} 个岗位，于 {time} 从服务器获取。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="335" />
            <source>No post known on this device yet.</source>
            <translation>本机尚无岗位信息。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="477" />
            <source>{name} is now {role} of {post}.</source>
            <translation>{name} 现任{post}的 {role}。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="502" />
            <source>{name} no longer holds {role} of {post}.</source>
            <translation>{name} 不再任{post}的 {role}。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="536" />
            <source>{name} is off duty until {time}; B is on duty.</source>
            <translation>{name} 离岗至 {time}；由 B 值班。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="550" />
            <source>Is {name} back on duty at {post}? The absence ends now and A takes over from B.</source>
            <translation>{name} 已返回{post}的岗位？离岗即刻结束，由 A 从 B 手中接回值班。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="553" />
            <source>Cancel {name}'s absence planned from {time} at {post}?</source>
            <translation>取消 {name} 原定 {time} 起在{post}的离岗？</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="558" />
            <source>A is back</source>
            <translation>A 返岗</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="570" />
            <source>{name} is on duty again.</source>
            <translation>{name} 已返岗。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="595" />
            <source>{role}: {name} ({user})</source>
            <translation>{role} 角：{name}（{user}）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/roster_page.py" line="620" />
            <source>Set-up code issued for {name}; it works once.</source>
            <translation>已为{name}生成设置码，只能使用一次。</translation>
        </message>
    </context>
    <context>
        <name>SecurityLog</name>
        <message>
            <location filename="../../informant_app/ui/admin/security_log_model.py" line="46" />
            <source>Signed in</source>
            <extracomment>How the server's log names the operator at the command line (``admin_log.OPERATOR``). The kinds of line, in the order the filter offers them (``services.security_log.KINDS``).</extracomment>
            <translation>登录成功</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/security_log_model.py" line="47" />
            <source>Sign-in failed</source>
            <translation>登录失败</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/security_log_model.py" line="48" />
            <source>Sign-in held back</source>
            <translation>登录受限</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/security_log_model.py" line="49" />
            <source>Set-up code issued</source>
            <translation>发放设置码</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/security_log_model.py" line="50" />
            <source>Set-up code used</source>
            <translation>使用设置码</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/security_log_model.py" line="51" />
            <source>Wrong set-up code</source>
            <translation>设置码错误</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/security_log_model.py" line="52" />
            <source>Signed out: set up on another device</source>
            <translation>设备被替换退出</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/security_log_model.py" line="55" />
            <source>Device signed out</source>
            <translation>退出设备</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/security_log_model.py" line="56" />
            <source>Password changed</source>
            <translation>修改密码</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/security_log_model.py" line="57" />
            <source>Role changed</source>
            <translation>修改角色</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/security_log_model.py" line="58" />
            <source>Account disabled</source>
            <translation>停用账号</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/security_log_model.py" line="59" />
            <source>Account enabled</source>
            <translation>启用账号</translation>
        </message>
    </context>
    <context>
        <name>SecurityLogModel</name>
        <message>
            <location filename="../../informant_app/ui/admin/security_log_model.py" line="153" />
            <source>Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/security_log_model.py" line="154" />
            <source>Event</source>
            <translation>事件</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/security_log_model.py" line="155" />
            <source>Account</source>
            <translation>账号</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/security_log_model.py" line="156" />
            <source>By</source>
            <translation>操作人</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/security_log_model.py" line="157" />
            <source>Address</source>
            <translation>地址</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/security_log_model.py" line="158" />
            <source>Device</source>
            <translation>设备</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/security_log_model.py" line="159" />
            <source>Details</source>
            <translation>说明</translation>
        </message>
    </context>
    <context>
        <name>ServerStep</name>
        <message>
            <location filename="../../informant_app/ui/account/setup_server_step.py" line="60" />
            <source>Step 1: the server's address</source>
            <extracomment>The colour of a connection that works. Lines of text the test's result line keeps room for (the longest sentence needs three).</extracomment>
            <translation>第 1 步：服务器地址</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_server_step.py" line="65" />
            <source>e.g. http://192.168.1.10:8765</source>
            <translation>例如 http://192.168.1.10:8765</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_server_step.py" line="67" />
            <source>&amp;Test connection</source>
            <translation>测试连接(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_server_step.py" line="70" />
            <source>Ask the server whether it is there (Alt+T)</source>
            <translation>检查能否连上服务器（Alt+T）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_server_step.py" line="116" />
            <source>Testing the connection to {url}…</source>
            <translation>正在测试与 {url} 的连接…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_server_step.py" line="139" />
            <source>✘ The city server answers, but it speaks another protocol version ({server}; this app: {app}). Ask the township for the matching version of the app.</source>
            <translation>✘ 市级服务器有应答，但协议版本不同（服务器：{server}；本软件：{app}）。请向乡镇索取相应版本的软件。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_server_step.py" line="144" />
            <source>✔ Connected: this is the city server (version {version}). Go on to step 2.</source>
            <translation>✔ 已连接：这是市级服务器（版本 {version}）。请继续第 2 步。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_server_step.py" line="148" />
            <source>✘ The name {host} is not known on this network. Check the spelling, or use the server's number address, e.g. http://192.168.1.10:8765.</source>
            <translation>✘ 本网络中找不到名称 {host}。请检查拼写，或改用服务器的数字地址，例如 http://192.168.1.10:8765。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_server_step.py" line="152" />
            <source>✘ The computer {host} refused the connection: the server program is not running there, or the port number (after the colon) is wrong.</source>
            <translation>✘ 计算机 {host} 拒绝连接：那里没有运行服务器程序，或端口号（冒号后面的数字）不对。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_server_step.py" line="156" />
            <source>✘ No answer from {host} in time: the network may be down, or a firewall is in the way. Check the cable or Wi-Fi and try again.</source>
            <translation>✘ {host} 没有及时应答：可能网络不通，或被防火墙挡住。请检查网线或无线网络后再试。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_server_step.py" line="160" />
            <source>✘ Something answered at {host}, but it is not the city server. It may be a network sign-in page (open a web browser and sign in to the network first), or the address is wrong.</source>
            <translation>✘ {host} 有应答，但不是市级服务器。可能是上网认证页面（请先打开浏览器完成上网登录），或者地址不对。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_server_step.py" line="165" />
            <source>✘ The city server answers but has a problem of its own (its database may be down). Tell the township, and try again later.</source>
            <translation>✘ 市级服务器有应答，但它自身出了问题（可能是数据库不可用）。请告知乡镇，稍后再试。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_server_step.py" line="169" />
            <source>✘ The server {host} cannot be reached. Check the network and the address.</source>
            <translation>✘ 无法连接服务器 {host}。请检查网络和地址。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_server_step.py" line="172" />
            <source>✘ The certificate of {host} is not trusted (an unknown certificate authority, or self-signed). If the city uses its own certificates, choose the city's CA certificate file (button above) and test again.</source>
            <translation>✘ {host} 的证书不受信任（证书颁发机构未知，或是自签名证书）。如果市里使用自己的证书，请选择市里的 CA 证书文件（上方按钮），然后再测试。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_server_step.py" line="177" />
            <source>✘ The certificate of the server is not for the name {host}. Check the address: use the name or number the certificate was made for.</source>
            <translation>✘ 服务器的证书与名称 {host} 不符。请检查地址：要用证书上的名称或数字地址。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_server_step.py" line="181" />
            <source>✘ The certificate of {host} has expired, or this computer's date and time are wrong. Check the clock of this PC first; if it is right, tell the city to renew the certificate.</source>
            <translation>✘ {host} 的证书已过期，或本机的日期和时间不对。请先检查本机的时钟；如果时间正确，请告知市里更新证书。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_server_step.py" line="186" />
            <source>✘ The certificate of {host} is not valid yet: this computer's date and time are probably wrong. Check the clock of this PC and test again.</source>
            <translation>✘ {host} 的证书尚未生效：很可能是本机的日期和时间不对。请检查本机的时钟，然后再测试。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_server_step.py" line="190" />
            <source>✘ The server {host} does not use an encrypted connection (https). Write the address with http:// instead, or check it with the township.</source>
            <translation>✘ 服务器 {host} 不使用加密连接（https）。请把地址改为 http:// 开头，或向乡镇核对地址。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_server_step.py" line="194" />
            <source>✘ The server {host} only accepts encrypted connections. Write the address with https:// instead of http://.</source>
            <translation>✘ 服务器 {host} 只接受加密连接。请把地址中的 http:// 改为 https://。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_server_step.py" line="198" />
            <source>✘ No encrypted connection could be made with {host} (the TLS handshake failed). Check the address, or tell the city.</source>
            <translation>✘ 无法与 {host} 建立加密连接（TLS 握手失败）。请检查地址，或告知市里。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_server_step.py" line="207" />
            <source>⚠ This address is not encrypted (http://): passwords and reports can be read on the way by anyone on the network. Ask the township or county for the https:// address.</source>
            <translation>⚠ 此地址未加密（http://）：密码和报告在传输途中可被网络上的任何人读取。请向乡镇或县里索取 https:// 地址。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_server_step.py" line="215" />
            <source>⚠ Connected to the city server (version {version}), but not encrypted (http://): passwords and reports can be read on the way. Ask the township or county for the https:// address, or go on to step 2.</source>
            <translation>⚠ 已连接到市级服务器（版本 {version}），但连接未加密（http://）：密码和报告在传输途中可被他人读取。请向乡镇或县里索取 https:// 地址，或继续第 2 步。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_server_step.py" line="222" />
            <source>✘ This is not a server address. Write it like http://192.168.1.10:8765 (ask your township for it).</source>
            <translation>✘ 这不是服务器地址。应写成 http://192.168.1.10:8765 这样的形式（可向乡镇询问）。</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <location filename="../../informant_app/ui/account/settings_dialog.py" line="39" />
            <source>Settings</source>
            <translation>设置</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/settings_dialog.py" line="44" />
            <source>A new language takes effect after restarting the app.</source>
            <translation>更改语言后，需重新启动软件才能生效。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/settings_dialog.py" line="57" />
            <source>&amp;Language</source>
            <translation>语言(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/settings_dialog.py" line="65" />
            <source>https certificate</source>
            <translation>https 证书</translation>
        </message>
        <message>
            <source>Language</source>
            <translation type="vanished">语言</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/settings_dialog.py" line="59" />
            <source>Data folder</source>
            <translation>数据文件夹</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/settings_dialog.py" line="60" />
            <source>Log file</source>
            <translation>日志文件</translation>
        </message>
    </context>
    <context>
        <name>SetupCodeDialog</name>
        <message>
            <location filename="../../informant_app/ui/duty/setup_code_dialog.py" line="48" />
            <source>Set-up code for {name}</source>
            <translation>{name}的设置码</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/setup_code_dialog.py" line="51" />
            <source>Give this text to {name} ({user}). On the new computer, the app's set-up page takes it under "I have a set-up code": paste it there, or open the saved file. It signs in without a password.</source>
            <translation>请把这段文字交给{name}（{user}）。在新电脑上，软件的设置页面选择“我有设置码”：把它粘贴进去，或打开保存的文件，无需密码即可登录。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/setup_code_dialog.py" line="68" />
            <source>The code works once, until {time}. Asking for a new code for {name} makes this one stop working.</source>
            <translation>设置码只能使用一次，有效期至 {time}。如果再为{name}生成新的设置码，这一个就会失效。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/setup_code_dialog.py" line="78" />
            <source>&amp;Copy</source>
            <translation>复制(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/setup_code_dialog.py" line="81" />
            <source>&amp;Save to file…</source>
            <translation>保存为文件(&amp;S)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/setup_code_dialog.py" line="100" />
            <source>Copied. Paste it into a message or a document.</source>
            <translation>已复制。可以粘贴到消息或文档中。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/setup_code_dialog.py" line="106" />
            <source>Save set-up code</source>
            <translation>保存设置码</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/setup_code_dialog.py" line="107" />
            <source>set-up code {user}.txt</source>
            <translation>设置码 {user}.txt</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/setup_code_dialog.py" line="108" />
            <source>Text files (*.txt)</source>
            <translation>文本文件 (*.txt)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/setup_code_dialog.py" line="133" />
            <source>Saved to {path}.</source>
            <translation>已保存到 {path}。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/setup_code_dialog.py" line="138" />
            <source>Not saved to {path}: {reason}</source>
            <translation>未能保存到 {path}：{reason}</translation>
        </message>
    </context>
    <context>
        <name>SetupCodePanel</name>
        <message>
            <location filename="../../informant_app/ui/account/setup_code_panel.py" line="67" />
            <source>The township can give you a set-up code instead of a password: a short text with the server's address and a code that works once. Paste it here, or open the file you received.</source>
            <translation>乡镇也可以给您一个设置码代替密码：一小段文字，包含服务器地址和一个只能使用一次的设置码。请把它粘贴到这里，或打开收到的文件。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_code_panel.py" line="80" />
            <source>&amp;Open set-up file…</source>
            <translation>打开设置码文件(&amp;O)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_code_panel.py" line="84" />
            <source>&amp;Paste</source>
            <translation>粘贴(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_code_panel.py" line="115" />
            <source>Open set-up file</source>
            <translation>打开设置码文件</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_code_panel.py" line="116" />
            <source>Set-up files (*.txt *.json);;All files (*)</source>
            <translation>设置码文件 (*.txt *.json);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_code_panel.py" line="149" />
            <source>Nothing here yet.</source>
            <translation>还没有内容。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_code_panel.py" line="163" />
            <source>✔ A set-up code for {user}.</source>
            <translation>✔ 这是 {user} 的设置码。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_code_panel.py" line="165" />
            <source>✔ A set-up code.</source>
            <translation>✔ 这是一个设置码。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_code_panel.py" line="168" />
            <source>It works once, until {time}.</source>
            <translation>只能使用一次，有效期至 {time}。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_code_panel.py" line="172" />
            <source>The text names no server: enter its address in step 1.</source>
            <translation>文字中没有服务器地址：请在第 1 步填写。</translation>
        </message>
    </context>
    <context>
        <name>SetupDialog</name>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="77" />
            <source>Set up this computer</source>
            <extracomment>The tabs of step 2.</extracomment>
            <translation>设置本机</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="100" />
            <source>Connect this computer to the city server</source>
            <translation>把本机连接到市级服务器</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="107" />
            <source>Your township gives you the server's address and an account, or a set-up code. The network is needed only for this step: afterwards the app works offline and sends your reports by itself whenever a connection appears.</source>
            <translation>乡镇会给您服务器地址和账号，或者一个设置码。只有这一步需要联网；之后软件可以离线使用，一旦有网络就会自动发送报告。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="122" />
            <source>User name and &amp;password</source>
            <translation>用户名和密码(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="125" />
            <source>I have a set-up &amp;code</source>
            <translation>我有设置码(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="127" />
            <source>Step 2: sign in</source>
            <translation>第 2 步：登录</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="152" />
            <source>Your password is not kept. This computer keeps a sign-in key instead: in the system keyring, or where there is none, in a file only your user account can read. You will see which after signing in.</source>
            <translation>本机不保存您的密码，只保存一个登录凭证：存放在系统钥匙串中；没有钥匙串时，存放在只有您的用户账户能读取的文件中。登录后会告诉您存放在哪里。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="161" />
            <source>User name</source>
            <translation>用户名</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="162" />
            <source>Password</source>
            <translation>密码</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="170" />
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="219" />
            <source>Sign in</source>
            <translation>登录</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="174" />
            <source>Work offline without an account…</source>
            <translation>不登录，离线使用…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="178" />
            <source>Fill in a local profile instead. Reports stay on this computer until you sign in (File menu).</source>
            <translation>改为填写本机信息员资料。登录之前报告只保存在本机（可在“文件”菜单中登录）。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="219" />
            <source>Sign in with the code</source>
            <translation>用设置码登录</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="242" />
            <source>Enter the server address, starting with http:// or https://.</source>
            <translation>请输入服务器地址，以 http:// 或 https:// 开头。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="245" />
            <source>Paste the set-up text, or open the set-up file.</source>
            <translation>请粘贴设置码文字，或打开设置码文件。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="248" />
            <source>Enter your user name.</source>
            <translation>请输入用户名。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="250" />
            <source>Enter your password.</source>
            <translation>请输入密码。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="270" />
            <source>Signing in…</source>
            <translation>正在登录…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="296" />
            <source>Signing in failed unexpectedly: {error}</source>
            <translation>登录时出现意外错误：{error}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="306" />
            <source>You are signed in as {name} ({user}).</source>
            <translation>您已登录为 {name}（{user}）。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="310" />
            <source>{village}, post {role}</source>
            <translation>{village} {role}角</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="317" />
            <source>Posts: {posts}.</source>
            <translation>岗位：{posts}。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="319" />
            <source>The sign-in key is kept in the system keyring.</source>
            <translation>登录凭证保存在系统钥匙串中。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="322" />
            <source>No system keyring was found, so the sign-in key is kept in a file that only your user account can read.</source>
            <translation>本机没有系统钥匙串，登录凭证保存在只有您的用户账户能读取的文件中。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/account/setup_dialog.py" line="326" />
            <source>From now on the app works offline; reports go to the server by themselves whenever it can be reached.</source>
            <translation>从现在起软件可以离线使用；能连上服务器时，报告会自动发送。</translation>
        </message>
    </context>
    <context>
        <name>SetupSheetDialog</name>
        <message>
            <location filename="../../informant_app/ui/admin/setup_sheet_dialog.py" line="141" />
            <source>Set-up codes for {place}</source>
            <translation>{place}设置码</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/setup_sheet_dialog.py" line="146" />
            <source>{n} set-up code(s) issued for {place} ({townships} township page(s)), for everyone without a signed-in device. They work once, until {time}; older unused codes of these people no longer work. Save the sheet now: the codes are not shown again.</source>
            <translation>已为{place}内尚未在设备上登录的人员发放 {n} 个设置码（共 {townships} 个乡镇页）。设置码只能使用一次，有效期至 {time}；这些人员之前未使用的设置码已失效。请现在保存：设置码不会再次显示。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/setup_sheet_dialog.py" line="173" />
            <source>Save &amp;Excel…</source>
            <translation>保存 Excel(&amp;E)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/setup_sheet_dialog.py" line="176" />
            <source>Save &amp;PDF…</source>
            <translation>保存 PDF(&amp;P)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/setup_sheet_dialog.py" line="193" />
            <source>Everyone here has a signed-in device: no code was issued.</source>
            <translation>这里的人员都已在设备上登录：没有发放设置码。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/setup_sheet_dialog.py" line="198" />
            <source>Set-up codes {place} {day}</source>
            <translation>设置码 {place} {day}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/setup_sheet_dialog.py" line="204" />
            <source>Save the sheet as Excel</source>
            <translation>将发放表保存为 Excel</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/setup_sheet_dialog.py" line="204" />
            <source>Excel workbook (*.xlsx)</source>
            <translation>Excel 工作簿 (*.xlsx)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/setup_sheet_dialog.py" line="206" />
            <source>Save the sheet as PDF</source>
            <translation>将发放表保存为 PDF</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/setup_sheet_dialog.py" line="206" />
            <source>PDF file (*.pdf)</source>
            <translation>PDF 文件 (*.pdf)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/setup_sheet_dialog.py" line="229" />
            <source>Saving {path}…</source>
            <translation>正在保存 {path}…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/setup_sheet_dialog.py" line="238" />
            <source>Saved to {path}.</source>
            <translation>已保存到 {path}。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/setup_sheet_dialog.py" line="244" />
            <source>Not saved to {path}: {reason}</source>
            <translation>未保存到 {path}：{reason}</translation>
        </message>
    </context>
    <context>
        <name>SetupSheetModel</name>
        <message>
            <location filename="../../informant_app/ui/admin/setup_sheet_dialog.py" line="80" />
            <source>Township</source>
            <translation>乡镇</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/setup_sheet_dialog.py" line="81" />
            <source>Post</source>
            <translation>岗位</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/setup_sheet_dialog.py" line="82" />
            <source>A/B</source>
            <translation>A/B角</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/setup_sheet_dialog.py" line="83" />
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/setup_sheet_dialog.py" line="84" />
            <source>Role</source>
            <translation>角色</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/setup_sheet_dialog.py" line="85" />
            <source>User name</source>
            <translation>用户名</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/admin/setup_sheet_dialog.py" line="86" />
            <source>Set-up code</source>
            <translation>设置码</translation>
        </message>
    </context>
    <context>
        <name>SignInDialog</name>
        <message>
            <source>Sign in</source>
            <translation type="vanished">登录</translation>
        </message>
        <message>
            <source>Sign in once, with the account your township gave you. This needs the network once; after that the app works offline and sends your reports by itself whenever a connection appears.</source>
            <translation type="vanished">请用乡镇发给您的账号登录一次。只有这一次需要联网；之后软件可以离线使用，一旦有网络就会自动发送报告。</translation>
        </message>
        <message>
            <source>e.g. https://zaiqing.example.gov.cn</source>
            <translation type="vanished">例如 https://zaiqing.example.gov.cn</translation>
        </message>
        <message>
            <source>Your password is not kept. This computer keeps a sign-in key instead: in the system keyring, or where there is none, in a file only your user account can read. You will see which after signing in.</source>
            <translation type="vanished">本机不保存您的密码，只保存一个登录凭证：存放在系统钥匙串中；没有钥匙串时，存放在只有您的用户账户能读取的文件中。登录后会告诉您存放在哪里。</translation>
        </message>
        <message>
            <source>Work offline without an account…</source>
            <translation type="vanished">不登录，离线使用…</translation>
        </message>
        <message>
            <source>Fill in a local profile instead. Reports stay on this computer until you sign in (File menu).</source>
            <translation type="vanished">改为填写本机信息员资料。登录之前报告只保存在本机（可在“文件”菜单中登录）。</translation>
        </message>
        <message>
            <source>Server address</source>
            <translation type="vanished">服务器地址</translation>
        </message>
        <message>
            <source>User name</source>
            <translation type="vanished">用户名</translation>
        </message>
        <message>
            <source>Password</source>
            <translation type="vanished">密码</translation>
        </message>
        <message>
            <source>Enter the server address, starting with http:// or https://.</source>
            <translation type="vanished">请输入服务器地址，以 http:// 或 https:// 开头。</translation>
        </message>
        <message>
            <source>Enter your user name.</source>
            <translation type="vanished">请输入用户名。</translation>
        </message>
        <message>
            <source>Enter your password.</source>
            <translation type="vanished">请输入密码。</translation>
        </message>
        <message>
            <source>Signing in…</source>
            <translation type="vanished">正在登录…</translation>
        </message>
        <message>
            <source>Signing in failed unexpectedly: {error}</source>
            <translation type="vanished">登录时出现意外错误：{error}</translation>
        </message>
        <message>
            <source>You are signed in as {name} ({user}).</source>
            <translation type="vanished">您已登录为 {name}（{user}）。</translation>
        </message>
        <message>
            <source>{village}, post {role}</source>
            <translation type="vanished">{village} {role}角</translation>
        </message>
        <message>
            <source>Posts: {posts}.</source>
            <translation type="vanished">岗位：{posts}。</translation>
        </message>
        <message>
            <source>The sign-in key is kept in the system keyring.</source>
            <translation type="vanished">登录凭证保存在系统钥匙串中。</translation>
        </message>
        <message>
            <source>No system keyring was found, so the sign-in key is kept in a file that only your user account can read.</source>
            <translation type="vanished">本机没有系统钥匙串，登录凭证保存在只有您的用户账户能读取的文件中。</translation>
        </message>
        <message>
            <source>From now on the app works offline; reports go to the server by themselves whenever it can be reached.</source>
            <translation type="vanished">从现在起软件可以离线使用；能连上服务器时，报告会自动发送。</translation>
        </message>
    </context>
    <context>
        <name>SignOffDialog</name>
        <message>
            <location filename="../../informant_app/ui/duty/handover_panel.py" line="59" />
            <source>Sign the handover off</source>
            <extracomment>The longest sign-off note accepted. Each column's share of the room left over (post, who → whom, when, why, open items, sign-off): the texts that run long get most.</extracomment>
            <translation>签收交接</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/handover_panel.py" line="62" />
            <source>{post}: {people}, {when}.
{what}: {why}
Open then: {items}</source>
            <translation>{post}：{people}，{when}。
{what}：{why}
当时未办：{items}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/handover_panel.py" line="78" />
            <source>What you checked, what is still to do</source>
            <translation>您核实了什么，还有什么待办</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/handover_panel.py" line="79" />
            <source>&amp;Note (optional)</source>
            <translation>备注(&amp;N)（可选）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/duty/handover_panel.py" line="83" />
            <source>&amp;Sign off</source>
            <translation>签收(&amp;S)</translation>
        </message>
    </context>
    <context>
        <name>StepChart</name>
        <message>
            <location filename="../../informant_app/ui/dashboard/charts.py" line="135" />
            <source>Cumulative chart</source>
            <translation>累计图</translation>
        </message>
    </context>
    <context>
        <name>SummaryModel</name>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="288" />
            <source>Unit</source>
            <translation>单位</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="289" />
            <source>Events</source>
            <translation>灾害过程数</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="290" />
            <source>Townships affected</source>
            <translation>受灾乡镇数</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="291" />
            <source>People affected (person-times)</source>
            <translation>受灾人次</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="292" />
            <source>Deaths</source>
            <translation>死亡人口</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="293" />
            <source>Missing</source>
            <translation>失踪人口</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="294" />
            <source>Crops affected (ha)</source>
            <translation>农作物受灾面积（公顷）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="295" />
            <source>Crops failed (ha)</source>
            <translation>农作物绝收面积（公顷）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="296" />
            <source>Houses collapsed (households)</source>
            <translation>倒塌房屋（户）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="297" />
            <source>Houses collapsed (rooms)</source>
            <translation>倒塌房屋（间）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="298" />
            <source>Houses damaged (households)</source>
            <translation>损坏房屋（户）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="299" />
            <source>Houses damaged (rooms)</source>
            <translation>损坏房屋（间）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="300" />
            <source>Direct loss (10k CNY)</source>
            <translation>直接经济损失（万元）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="306" />
            <source>Total: {name}</source>
            <translation>合计：{name}</translation>
        </message>
    </context>
    <context>
        <name>SyncActions</name>
        <message>
            <location filename="../../informant_app/ui/window/sync_actions.py" line="116" />
            <source>&amp;Sync now</source>
            <extracomment>"Sync now": F9, the send/receive key of mail programs (F5 reloads the list, Ctrl+R revises).</extracomment>
            <translation>立即同步(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/sync_actions.py" line="119" />
            <source>Send queued reports and fetch news now ({key})</source>
            <translation>立即发送待发报告并获取最新情况（{key}）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/sync_actions.py" line="121" />
            <source>Re&amp;try sending</source>
            <translation>重新发送(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/sync_actions.py" line="122" />
            <source>Put the refused version back in the queue</source>
            <translation>把被退回的版本重新放入发送队列</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/sync_actions.py" line="124" />
            <source>Resolve &amp;conflict…</source>
            <translation>处理冲突(&amp;C)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/sync_actions.py" line="126" />
            <source>Sign &amp;in…</source>
            <translation>登录(&amp;I)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/sync_actions.py" line="127" />
            <source>Sign &amp;out…</source>
            <translation>退出登录(&amp;O)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/sync_actions.py" line="149" />
            <source>village informant</source>
            <translation>村灾害信息员</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/sync_actions.py" line="150" />
            <source>township reviewer</source>
            <translation>乡镇审核员</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/sync_actions.py" line="151" />
            <source>county administrator</source>
            <translation>区县管理员</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/sync_actions.py" line="152" />
            <source>city administrator</source>
            <translation>市级管理员</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/sync_actions.py" line="187" />
            <source>Signed out on this PC</source>
            <translation>本机已退出登录</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/sync_actions.py" line="191" />
            <source>Reports not yet sent stay on this PC. Sign in again to send them (ask your township for a new set-up code).</source>
            <translation>尚未发送的报告仍保存在本机。请重新登录后发送（可向乡镇索取新的设置码）。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/sync_actions.py" line="241" />
            <source>This conflict is already resolved, or its other version has not arrived yet. Sync and try again.</source>
            <translation>这个冲突已经处理，或者另一个版本尚未收到。请同步后再试。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/sync_actions.py" line="267" />
            <source>Not resolved: {reason}</source>
            <translation>未能处理：{reason}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/sync_actions.py" line="273" />
            <source>Conflict resolved: a new version is queued.</source>
            <translation>冲突已处理：新版本已进入发送队列。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/sync_actions.py" line="311" />
            <source>Sign out from this computer? Reports not yet sent ({n} now) are kept here and go out after the next sign-in.</source>
            <translation>要在本机退出登录吗？尚未发送的报告（目前 {n} 份）会保留在本机，下次登录后自动发送。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/sync_actions.py" line="316" />
            <location filename="../../informant_app/ui/window/sync_actions.py" line="324" />
            <source>Sign out</source>
            <translation>退出登录</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/window/sync_actions.py" line="333" />
            <source>Signed out. Unsent reports are kept and go out after the next sign-in.</source>
            <translation>已退出登录。未发送的报告已保留，下次登录后自动发送。</translation>
        </message>
    </context>
    <context>
        <name>SyncStatusBar</name>
        <message>
            <location filename="../../informant_app/ui/sync/status.py" line="109" />
            <source>First sync: this may take a few minutes</source>
            <extracomment>A clock further off than this (seconds) is shown.</extracomment>
            <translation>首次同步：可能需要几分钟</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/status.py" line="118" />
            <source>Sending {done} of {total}…</source>
            <translation>正在发送 {done}/{total} 份…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/status.py" line="120" />
            <source>Sending review decisions {done} of {total}…</source>
            <translation>正在发送审核结果 {done}/{total} 条…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/status.py" line="124" />
            <source>Uploading photos {done} of {total} MB…</source>
            <translation>正在上传照片 {done}/{total} MB…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/status.py" line="127" />
            <source>Receiving, {n} versions so far…</source>
            <translation>正在接收，已收到 {n} 个版本…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/status.py" line="137" />
            <source>Not signed in</source>
            <translation>未登录</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/status.py" line="139" />
            <source>Syncing…</source>
            <translation>正在同步…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/status.py" line="141" />
            <source>Not connected yet</source>
            <translation>尚未连接</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/status.py" line="142" />
            <source>Online</source>
            <translation>在线</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/status.py" line="142" />
            <source>Offline</source>
            <translation>离线</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/status.py" line="160" />
            <source>Last sync: {time}</source>
            <translation>上次同步：{time}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/status.py" line="163" />
            <source>Never synced</source>
            <translation>尚未同步</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/status.py" line="176" />
            <source>Reports stay on this computer until you sign in (File menu).</source>
            <translation>登录之前报告只保存在本机（可在“文件”菜单中登录）。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/status.py" line="177" />
            <source>Reports are sent by themselves whenever the server can be reached.</source>
            <translation>能连上服务器时，报告会自动发送。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/status.py" line="180" />
            <source>To send: {n}</source>
            <translation>待发送：{n}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/status.py" line="182" />
            <source>Photos to send: {n}</source>
            <translation>待发照片：{n}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/status.py" line="184" />
            <source>Errors: {n}</source>
            <translation>出错：{n}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/status.py" line="186" />
            <source>Conflicts: {n}</source>
            <translation>冲突：{n}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/status.py" line="195" />
            <source>This computer's clock is {amount} ahead of the server</source>
            <translation>本机时间比服务器快 {amount}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/status.py" line="198" />
            <source>This computer's clock is {amount} behind the server</source>
            <translation>本机时间比服务器慢 {amount}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/status.py" line="204" />
            <source>{n} minutes</source>
            <translation>{n} 分钟</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/status.py" line="207" />
            <source>1 hour</source>
            <translation>1 小时</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/status.py" line="207" />
            <source>{n} hours</source>
            <translation>{n} 小时</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/sync/status.py" line="208" />
            <source>{n} days</source>
            <translation>{n} 天</translation>
        </message>
    </context>
    <context>
        <name>TownshipReportModel</name>
        <message>
            <location filename="../../informant_app/ui/township/report_model.py" line="112" />
            <source>Sum of the villages</source>
            <extracomment>Columns before the indicators. Backgrounds of the sum lines.</extracomment>
            <translation>各村小计</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_model.py" line="119" />
            <source>Adjustment</source>
            <translation>调整</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_model.py" line="120" />
            <source>{reason} ({who})</source>
            <translation>{reason}（{who}）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_model.py" line="126" />
            <source>Total</source>
            <translation>合计</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_model.py" line="152" />
            <source>Unit</source>
            <translation>单位</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_model.py" line="154" />
            <source>Filed by / reason</source>
            <translation>填报人 / 调整理由</translation>
        </message>
    </context>
    <context>
        <name>TownshipReportView</name>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="132" />
            <source>Choose the event</source>
            <extracomment>Export formats: key, file suffix. Asks for a file to save to: (parent, title, suggested path, filter) → path or "".</extracomment>
            <translation>选择灾害过程</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="137" />
            <source>&amp;Fetch</source>
            <translation>获取(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="138" />
            <source>Fetch the township's figures from the server</source>
            <translation>从服务器获取本乡镇的数据</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="140" />
            <source>Event</source>
            <translation>灾害过程</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="140" />
            <source>Stage</source>
            <translation>阶段</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="165" />
            <source>Show every indicator</source>
            <translation>显示全部指标</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="168" />
            <source>Add &amp;adjustment…</source>
            <translation>添加调整(&amp;A)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="170" />
            <source>&amp;Submit upward…</source>
            <translation>上报(&amp;S)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="172" />
            <source>Export &amp;Excel…</source>
            <translation>导出 Excel(&amp;E)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="174" />
            <source>Export &amp;CSV…</source>
            <translation>导出 CSV(&amp;C)…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="176" />
            <source>Export &amp;PDF…</source>
            <translation>导出 &amp;PDF…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="179" />
            <source>The report on the national form (A4 landscape), ready to print and sign</source>
            <translation>按国家报表式样导出（A4 横向），可直接打印签字</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="275" />
            <source>Fetching the township report from the server…</source>
            <translation>正在从服务器获取乡镇报表…</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="336" />
            <source>Choose an event and a stage to see the township's figures.</source>
            <translation>选择灾害过程和报告阶段，查看本乡镇的数据。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="349" />
            <source>{township} · {event} · {stage}: {n} approved village report(s).</source>
            <translation>{township} · {event} · {stage}：已通过的村报告 {n} 份。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="358" />
            <source>Offline: this is the copy fetched at {time}; adjusting and submitting need the server.</source>
            <translation>离线：显示的是 {time} 获取的副本；添加调整和上报需要连接服务器。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="362" />
            <source>Fetched from the server at {time}.</source>
            <translation>于 {time} 从服务器获取。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="365" />
            <source>The county returned the report submitted upward: {reason} Correct it and submit again.</source>
            <translation>县（区）已退回报送的报表：{reason} 请更正后重新报送。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="369" />
            <source>The county passed the report submitted upward.</source>
            <translation>县（区）已通过报送的报表。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="371" />
            <source>Submitted upward with this total.</source>
            <translation>已按此合计上报。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="378" />
            <source>✔ Rule 12: the total equals the sum of the approved village reports plus the adjustments.</source>
            <translation>✔ 审核关系12：合计 = 已通过的各村报告之和 + 调整。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="439" />
            <source>Adjustment recorded.</source>
            <translation>调整已记录。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="448" />
            <source>Submit upward</source>
            <translation>上报</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="450" />
            <source>Submit the township report of {title} to the county? The county reads it as the township's figures.</source>
            <translation>将 {title} 的乡镇报表上报县级？县级将以此作为本乡镇的数据。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="459" />
            <source>Submit</source>
            <translation>上报</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="482" />
            <source>The township report was submitted to the county.</source>
            <translation>乡镇报表已上报县级。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="505" />
            <source>Excel workbook (*.xlsx)</source>
            <translation>Excel 工作簿 (*.xlsx)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="506" />
            <source>PDF document (*.pdf)</source>
            <translation>PDF 文档 (*.pdf)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="507" />
            <source>CSV file (*.csv)</source>
            <translation>CSV 文件 (*.csv)</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="509" />
            <source>Export the township report</source>
            <translation>导出乡镇报表</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="516" />
            <source>Exporting the township report</source>
            <translation>正在导出乡镇报表</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/township/report_view.py" line="542" />
            <source>Exported to {path}</source>
            <translation>已导出到 {path}</translation>
        </message>
    </context>
    <context>
        <name>UnitAdjustmentDialog</name>
        <message>
            <location filename="../../informant_app/ui/dashboard/dialogs.py" line="44" />
            <source>Add a city adjustment</source>
            <translation>添加市级调整</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/dialogs.py" line="46" />
            <source>{title}
The city total is the sum of the passed county reports. A difference the counties do not explain is an adjustment with its reason.</source>
            <translation>{title}
市级合计为已通过的县级报表之和。各县数据无法说明的差额，作为调整数并说明原因。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/dialogs.py" line="49" />
            <source>Why the city figure differs (required)</source>
            <translation>市级数据为何与各县之和不同（必填）</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/dialogs.py" line="51" />
            <source>Add a county adjustment</source>
            <translation>添加县级调整</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/dialogs.py" line="53" />
            <source>{title}
The county total is the sum of the passed township reports. A difference the townships do not explain is an adjustment with its reason.</source>
            <translation>{title}
县级合计为已通过的乡镇报表之和。乡镇数据无法说明的差额，作为调整数并说明原因。</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/dialogs.py" line="56" />
            <source>Why the county figure differs (required)</source>
            <translation>县级数据为何与各乡镇之和不同（必填）</translation>
        </message>
    </context>
    <context>
        <name>UnitLinesModel</name>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="116" />
            <source>Unit</source>
            <translation>单位</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="116" />
            <source>Deadline</source>
            <translation>时限</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="116" />
            <source>Report</source>
            <translation>报表</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="116" />
            <source>Data cut-off</source>
            <translation>数据截止时间</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="128" />
            <source>Total: {name}</source>
            <translation>合计：{name}</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="147" />
            <source>Approved</source>
            <translation>已审核</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="147" />
            <source>Passed</source>
            <translation>已通过</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="149" />
            <source>waiting for your decision</source>
            <translation>待您审核</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="151" />
            <source>None</source>
            <translation>无</translation>
        </message>
    </context>
    <context>
        <name>WaitingModel</name>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="212" />
            <source>Unit</source>
            <translation>单位</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="213" />
            <source>Stage</source>
            <translation>阶段</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="214" />
            <source>Submitted by</source>
            <translation>报送人</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="215" />
            <source>Received</source>
            <translation>接收时间</translation>
        </message>
        <message>
            <location filename="../../informant_app/ui/dashboard/models.py" line="216" />
            <source>Data cut-off</source>
            <translation>数据截止时间</translation>
        </message>
    </context>
    <context>
        <name>_IssueRow</name>
        <message>
            <location filename="../../informant_app/ui/reports/issue_view.py" line="43" />
            <source>Note explaining this (needed to submit)</source>
            <translation>请填写说明（提交前必填）</translation>
        </message>
    </context>
</TS>
