<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CrashDialog</name>
    <message>
        <location filename="../../informant_app/ui/crash.py" line="50"/>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/crash.py" line="51"/>
        <source>An unexpected error occurred. Your saved drafts are safe. If it happens again, please send the log file to your township:
{path}</source>
        <translation>程序发生意外错误。已保存的草稿不会丢失。如果再次出现，请把日志文件发给乡镇：
{path}</translation>
    </message>
</context>
<context>
    <name>DivisionPicker</name>
    <message>
        <location filename="../../informant_app/ui/division_picker.py" line="50"/>
        <source>County</source>
        <translation>县（区）</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/division_picker.py" line="51"/>
        <source>Township</source>
        <translation>乡镇（街道）</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/division_picker.py" line="52"/>
        <source>Villages</source>
        <translation>村（社区）</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/division_picker.py" line="109"/>
        <source>No villages of this township are listed</source>
        <translation>本乡镇暂无村（社区）名单</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/division_picker.py" line="131"/>
        <source>Chosen: {names}</source>
        <translation>已选：{names}</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/division_picker.py" line="132"/>
        <source>No village chosen yet</source>
        <translation>尚未选择村（社区）</translation>
    </message>
</context>
<context>
    <name>ErrorPresenter</name>
    <message>
        <location filename="../../informant_app/ui/errors.py" line="44"/>
        <source>Something went wrong: {error}</source>
        <translation>出现问题：{error}</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/errors.py" line="46"/>
        <source>Details were written to the log: {path}</source>
        <translation>详细信息已写入日志：{path}</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/errors.py" line="53"/>
        <source>Disaster reports</source>
        <translation>灾情报送</translation>
    </message>
</context>
<context>
    <name>FigureSections</name>
    <message>
        <location filename="../../informant_app/ui/figure_sections.py" line="90"/>
        <source>Core figure every village informant enters</source>
        <extracomment>Fields placed side by side in each section. Width of a figure input, in pixels (12 digits and 2 decimals fit).</extracomment>
        <translation>核心指标：村级灾害信息员必须填报</translation>
    </message>
</context>
<context>
    <name>FormHeader</name>
    <message>
        <location filename="../../informant_app/ui/form_header.py" line="66"/>
        <source>Choose the village</source>
        <translation>请选择村（社区）</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/form_header.py" line="70"/>
        <source>New event</source>
        <translation>新灾害过程</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/form_header.py" line="77"/>
        <source>Empty: named by date, county and type</source>
        <translation>留空则按“日期＋县＋灾种”自动命名</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/form_header.py" line="79"/>
        <source>Choose the disaster type</source>
        <translation>请选择灾种</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/form_header.py" line="85"/>
        <source>e.g. 25.1120</source>
        <translation>例如 25.1120</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/form_header.py" line="86"/>
        <source>e.g. 99.1610</source>
        <translation>例如 99.1610</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/form_header.py" line="87"/>
        <source>Emergency response is active</source>
        <translation>已启动应急响应</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/form_header.py" line="88"/>
        <source>The disaster situation is stable</source>
        <translation>灾情已稳定</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/form_header.py" line="94"/>
        <source>Stage</source>
        <translation>报告阶段</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/form_header.py" line="95"/>
        <source>Village</source>
        <translation>村（社区）</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/form_header.py" line="96"/>
        <source>Disaster event</source>
        <translation>灾害过程</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/form_header.py" line="97"/>
        <source>Event name</source>
        <translation>过程名称</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/form_header.py" line="98"/>
        <source>Disaster type</source>
        <translation>灾种</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/form_header.py" line="99"/>
        <source>Subtype</source>
        <translation>灾害子类</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/form_header.py" line="100"/>
        <source>Occurred at</source>
        <translation>发生时间</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/form_header.py" line="101"/>
        <source>Data cut-off</source>
        <translation>数据截止时间</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/form_header.py" line="102"/>
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/form_header.py" line="103"/>
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/form_header.py" line="230"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
</context>
<context>
    <name>LedgerEditor</name>
    <message>
        <location filename="../../informant_app/ui/ledger_editor.py" line="38"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/ledger_editor.py" line="38"/>
        <source>Death or missing</source>
        <translation>死亡／失踪</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/ledger_editor.py" line="43"/>
        <source>Add person</source>
        <translation>添加人员</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/ledger_editor.py" line="44"/>
        <source>Remove person</source>
        <translation>删除人员</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/ledger_editor.py" line="89"/>
        <source>Death</source>
        <translation>死亡</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/ledger_editor.py" line="90"/>
        <source>Missing</source>
        <translation>失踪</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../informant_app/ui/main_window.py" line="141"/>
        <source>&amp;New report</source>
        <translation>新建报告(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/main_window.py" line="143"/>
        <source>New &amp;continuing report</source>
        <translation>新建续报(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/main_window.py" line="145"/>
        <source>&amp;Revise</source>
        <translation>修改报告(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/main_window.py" line="147"/>
        <source>&amp;Open</source>
        <translation>打开(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/main_window.py" line="151"/>
        <source>&amp;Discard draft…</source>
        <translation>删除草稿(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/main_window.py" line="155"/>
        <source>Re&amp;fresh</source>
        <translation>刷新(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/main_window.py" line="157"/>
        <source>&amp;Import reports…</source>
        <translation>导入报告(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/main_window.py" line="160"/>
        <source>&amp;Profile…</source>
        <translation>个人信息(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/main_window.py" line="161"/>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/main_window.py" line="163"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/main_window.py" line="167"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/main_window.py" line="171"/>
        <source>&amp;Report</source>
        <translation>报告(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/main_window.py" line="177"/>
        <source>Report actions</source>
        <translation>报告操作</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/main_window.py" line="190"/>
        <source>Data folder: {path}</source>
        <translation>数据文件夹：{path}</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/main_window.py" line="197"/>
        <source>Disaster information reporting</source>
        <translation>灾情信息报送</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/main_window.py" line="199"/>
        <source>{name} (post {role})</source>
        <translation>{name}（{role}岗）</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/main_window.py" line="220"/>
        <source>Set up your profile to start reporting.</source>
        <translation>请先填写个人信息，然后开始报灾。</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/main_window.py" line="354"/>
        <source>Discard draft</source>
        <translation>删除草稿</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/main_window.py" line="355"/>
        <source>Discard this draft? What was typed in it is lost.</source>
        <translation>确定删除这份草稿吗？其中填写的内容将丢失。</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/main_window.py" line="404"/>
        <source>Report submitted. It waits in the queue until it can be sent.</source>
        <translation>报告已提交，正在排队等待发送。</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/main_window.py" line="408"/>
        <source>Imported {imported} report(s) as drafts; {skipped} were already here.</source>
        <translation>已导入 {imported} 份报告（草稿），{skipped} 份此前已存在。</translation>
    </message>
</context>
<context>
    <name>NarrativeEditor</name>
    <message>
        <location filename="../../informant_app/ui/narrative_editor.py" line="28"/>
        <source>Background, course and features of the disaster, what you saw, the outlook</source>
        <translation>灾害背景、过程和特点，现场所见，发展趋势</translation>
    </message>
</context>
<context>
    <name>PhotoPanel</name>
    <message>
        <location filename="../../informant_app/ui/photo_panel.py" line="64"/>
        <source>Add photos…</source>
        <translation>添加照片…</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/photo_panel.py" line="65"/>
        <source>Remove photo</source>
        <translation>删除照片</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/photo_panel.py" line="131"/>
        <source>Add photos</source>
        <translation>添加照片</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/photo_panel.py" line="132"/>
        <source>Images (*.jpg *.jpeg *.png *.webp *.bmp *.gif);;All files (*)</source>
        <translation>图片 (*.jpg *.jpeg *.png *.webp *.bmp *.gif);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/photo_panel.py" line="176"/>
        <source>Photos: {count}</source>
        <translation>照片：{count} 张</translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message>
        <location filename="../../informant_app/ui/profile_dialog.py" line="37"/>
        <source>Informant profile</source>
        <translation>灾害信息员信息</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/profile_dialog.py" line="39"/>
        <source>Tell us who reports from this computer. Reports are filed for the villages you choose here.</source>
        <translation>请填写在这台电脑上报灾的人员信息。报告将以这里选择的村（社区）名义报送。</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/profile_dialog.py" line="48"/>
        <source>e.g. 13800000000</source>
        <translation>例如 13800000000</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/profile_dialog.py" line="49"/>
        <source>A (primary: files the reports)</source>
        <translation>A岗（主岗：负责报送）</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/profile_dialog.py" line="50"/>
        <source>B (backup: takes over when A is away)</source>
        <translation>B岗（备岗：A岗不在时接替）</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/profile_dialog.py" line="71"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/profile_dialog.py" line="72"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/profile_dialog.py" line="73"/>
        <source>Role on the post</source>
        <translation>岗位</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/profile_dialog.py" line="91"/>
        <source>Please enter your name.</source>
        <translation>请填写姓名。</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/profile_dialog.py" line="93"/>
        <source>Please enter a phone number we can reach you on (at least 7 digits).</source>
        <translation>请填写能联系到您的电话号码（至少 7 位数字）。</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/profile_dialog.py" line="96"/>
        <source>Choose at least one village you report for.</source>
        <translation>请至少选择一个负责报灾的村（社区）。</translation>
    </message>
</context>
<context>
    <name>ReportFilterBar</name>
    <message>
        <location filename="../../informant_app/ui/report_filter_bar.py" line="31"/>
        <source>All events</source>
        <translation>全部灾害过程</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_filter_bar.py" line="34"/>
        <source>All stages</source>
        <translation>全部阶段</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_filter_bar.py" line="39"/>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_filter_bar.py" line="44"/>
        <source>Event</source>
        <translation>灾害过程</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_filter_bar.py" line="44"/>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_filter_bar.py" line="45"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>ReportForm</name>
    <message>
        <location filename="../../informant_app/ui/report_form.py" line="106"/>
        <source>Disaster report</source>
        <extracomment>Quiet time after the last keystroke before the draft is saved and checked.</extracomment>
        <translation>灾情报告</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_form.py" line="121"/>
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_form.py" line="123"/>
        <source>Situation narrative</source>
        <translation>灾情文字说明</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_form.py" line="124"/>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_form.py" line="125"/>
        <source>Name ledger of the dead and missing</source>
        <translation>死亡失踪人员名单</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_form.py" line="134"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_form.py" line="135"/>
        <source>Submit</source>
        <translation>提交</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_form.py" line="136"/>
        <source>Submit the report (Ctrl+Enter)</source>
        <translation>提交报告（Ctrl+Enter）</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_form.py" line="246"/>
        <source>This version was submitted and can no longer be changed. To correct it, choose Revise in the report list.</source>
        <translation>此版本已提交，不能再修改。如需更正，请在报告列表中选择“修改报告”。</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_form.py" line="255"/>
        <source>Editing…</source>
        <translation>正在编辑…</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_form.py" line="288"/>
        <source>Saved at {time}</source>
        <translation>已于 {time} 保存</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_form.py" line="294"/>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_form.py" line="370"/>
        <source>Not submitted: correct the {errors} problem(s) marked in red and add a note to each of the {warnings} remaining warning(s).</source>
        <translation>未提交：请改正红色标出的 {errors} 个问题，并为其余 {warnings} 个提醒分别填写说明。</translation>
    </message>
</context>
<context>
    <name>ReportImporter</name>
    <message>
        <location filename="../../informant_app/ui/report_import.py" line="46"/>
        <source>Import reports</source>
        <extracomment>Problems listed in the refusal message; the rest are counted.</extracomment>
        <translation>导入报告</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_import.py" line="46"/>
        <source>Report files (*.json);;All files (*)</source>
        <translation>报告文件 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_import.py" line="62"/>
        <source>… and {count} more</source>
        <translation>……另有 {count} 处问题</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_import.py" line="63"/>
        <source>Nothing was imported:</source>
        <translation>未导入任何报告：</translation>
    </message>
</context>
<context>
    <name>ReportState</name>
    <message>
        <location filename="../../informant_app/ui/labels.py" line="39"/>
        <source>Draft</source>
        <extracomment>The marker colour of each state in the report list. Colours of issue messages. Colour of a stand-in text (an event not named yet).</extracomment>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/labels.py" line="40"/>
        <source>Queued</source>
        <translation>待发送</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/labels.py" line="41"/>
        <source>Sending</source>
        <translation>发送中</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/labels.py" line="42"/>
        <source>Delivered</source>
        <translation>已送达</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/labels.py" line="43"/>
        <source>Conflict</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/labels.py" line="44"/>
        <source>Error</source>
        <translation>出错</translation>
    </message>
</context>
<context>
    <name>ReportTableModel</name>
    <message>
        <location filename="../../informant_app/ui/report_table_model.py" line="196"/>
        <source>State</source>
        <extracomment>Rows asked for at a time.</extracomment>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_table_model.py" line="197"/>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_table_model.py" line="198"/>
        <source>Event</source>
        <translation>灾害过程</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_table_model.py" line="199"/>
        <source>Village</source>
        <translation>村（社区）</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_table_model.py" line="200"/>
        <source>Disaster type</source>
        <translation>灾种</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_table_model.py" line="201"/>
        <source>Affected</source>
        <translation>受灾人口</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_table_model.py" line="202"/>
        <source>Deaths</source>
        <translation>死亡</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_table_model.py" line="203"/>
        <source>Direct loss (10k CNY)</source>
        <translation>直接经济损失（万元）</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_table_model.py" line="204"/>
        <source>Photos</source>
        <translation>照片</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_table_model.py" line="205"/>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/report_table_model.py" line="239"/>
        <source>(named when submitted)</source>
        <translation>（提交时命名）</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../informant_app/ui/settings_dialog.py" line="29"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/settings_dialog.py" line="34"/>
        <source>A new language takes effect after restarting the app.</source>
        <translation>更改语言后，需重新启动软件才能生效。</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/settings_dialog.py" line="45"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/settings_dialog.py" line="47"/>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <location filename="../../informant_app/ui/settings_dialog.py" line="48"/>
        <source>Log file</source>
        <translation>日志文件</translation>
    </message>
</context>
<context>
    <name>_IssueRow</name>
    <message>
        <location filename="../../informant_app/ui/issue_view.py" line="22"/>
        <source>Note explaining this (needed to submit)</source>
        <translation>请填写说明（提交前必填）</translation>
    </message>
</context>
</TS>
