<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccountView</name>
    <message>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>Password message</source>
        <translation>密码提示</translation>
    </message>
    <message>
        <source>Change my password</source>
        <translation>修改我的密码</translation>
    </message>
    <message>
        <source>Back to the desk</source>
        <translation>返回前台</translation>
    </message>
    <message>
        <source>Password of {0}</source>
        <translation>{0} 的密码</translation>
    </message>
    <message>
        <source>Password changed. Use the new one from the next sign-in.</source>
        <translation>密码已修改。下次登录请使用新密码。</translation>
    </message>
</context>
<context>
    <name>AdminView</name>
    <message>
        <source>Administration</source>
        <translation>管理</translation>
    </message>
    <message>
        <source>Settings and notice</source>
        <translation>设置与告知书</translation>
    </message>
    <message>
        <source>Operators</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Exports</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>报告</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>安全事件</translation>
    </message>
    <message>
        <source>Inactive members</source>
        <translation>长期未到访的会员</translation>
    </message>
    <message>
        <source>Back to the desk</source>
        <translation>返回前台</translation>
    </message>
</context>
<context>
    <name>AlternativeView</name>
    <message>
        <source>Member number or card number</source>
        <translation>会员编号或卡号</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN 码</translation>
    </message>
    <message>
        <source>Check PIN</source>
        <translation>核验 PIN 码</translation>
    </message>
    <message>
        <source>Document type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>I have checked the document</source>
        <translation>我已核验证件</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Check an identity document instead</source>
        <translation>改为核验身份证件</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Member or card number</source>
        <translation>会员编号或卡号</translation>
    </message>
    <message>
        <source>Or check an identity document (its number is not recorded):</source>
        <translation>或核验身份证件（不记录证件号码）：</translation>
    </message>
</context>
<context>
    <name>AuditPanel</name>
    <message>
        <source>The audit trail now ends at the code below. Note it and the date on paper; later, verify the trail against it to prove nothing was rewritten since.</source>
        <translation>审计日志目前截至下方代码。请将代码和当天日期抄在纸上；日后用它校验审计日志，即可证明此后没有任何记录被改写。</translation>
    </message>
    <message>
        <source>Where the audit trail now ends (code to note)</source>
        <translation>审计日志当前截止点（需抄录的代码）</translation>
    </message>
    <message>
        <source>e.g. 1204-3F9A-27C1-0BD4-E812-7C; separate several with commas</source>
        <translation>例如 1204-3F9A-27C1-0BD4-E812-7C；多个代码用逗号分隔</translation>
    </message>
    <message>
        <source>Audit events, newest first</source>
        <translation>审计事件（最新在前）</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Audit verification result</source>
        <translation>审计日志校验结果</translation>
    </message>
    <message>
        <source>What the verification rests on</source>
        <translation>校验结果的依据</translation>
    </message>
    <message>
        <source>Verify the audit trail</source>
        <translation>校验审计日志</translation>
    </message>
    <message>
        <source>Show the newest events</source>
        <translation>显示最新事件</translation>
    </message>
    <message>
        <source>Codes noted earlier (optional)</source>
        <translation>此前抄录的代码（选填）</translation>
    </message>
    <message>
        <source>(the trail is empty)</source>
        <translation>（审计日志为空）</translation>
    </message>
    <message>
        <source>The code {0} is mistyped: its last two characters do not match the rest. Compare it with the paper and type it again. Nothing was verified; a typing mistake says nothing about the audit trail.</source>
        <translation>代码 {0} 输入有误：最后两个字符与前面部分对不上。请对照纸上的记录重新输入。本次未进行校验；输入错误不代表审计日志有任何问题。</translation>
    </message>
    <message>
        <source>{0} is not an audit trail code: a code looks like 1204-3F9A-27C1-0BD4-E812-7C (the event number, then 18 digits 0–9 and letters A–F). Nothing was verified.</source>
        <translation>{0} 不是审计日志代码：代码形如 1204-3F9A-27C1-0BD4-E812-7C（事件编号，后接 18 位数字 0–9 或字母 A–F）。本次未进行校验。</translation>
    </message>
    <message>
        <source>The store file is damaged, so the audit trail cannot be called intact. Nothing more was changed. Keep this screen, restore the store from a backup and call the data-protection contact. What the check found:</source>
        <translation>数据库文件已损坏，因此无法认定审计日志完整。未再做任何更改。请保留此界面，从备份恢复数据库，并联系个人信息保护负责人。检查发现：</translation>
    </message>
    <message>
        <source>The audit trail is intact: {0} events checked, none edited, deleted or reordered.</source>
        <translation>审计日志完整：已校验 {0} 条事件，均未被修改、删除或调换顺序。</translation>
    </message>
    <message>
        <source>The chain alone cannot rule out someone who opened the store and recomputed it: verify against a code noted earlier.</source>
        <translation>仅凭哈希链无法排除有人打开数据库后重新计算整条链：请用此前抄录的代码进行校验。</translation>
    </message>
    <message>
        <source>The audit trail has been tampered with: {0} problem(s). Keep this screen and call the data-protection contact.</source>
        <translation>审计日志已被篡改：发现 {0} 处问题。请保留此界面，并联系个人信息保护负责人。</translation>
    </message>
    <message>
        <source>The audit trail was rewritten after a code was noted, and its chain recomputed to hide it. Keep this screen and call the data-protection contact.</source>
        <translation>审计日志在抄录代码之后被改写，并重新计算了哈希链以掩盖改写。请保留此界面，并联系个人信息保护负责人。</translation>
    </message>
    <message>
        <source>The rewrite lies among events {0} to {1}.</source>
        <translation>改写发生在第 {0} 至第 {1} 条事件之间。</translation>
    </message>
</context>
<context>
    <name>CapturePanel</name>
    <message>
        <source>Start camera</source>
        <translation>启动摄像头</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel the capture</source>
        <translation>取消采集</translation>
    </message>
    <message>
        <source>Camera preview</source>
        <translation>摄像头预览</translation>
    </message>
    <message>
        <source>Hint for the person</source>
        <translation>给被采集人的提示</translation>
    </message>
    <message>
        <source>Capture progress</source>
        <translation>采集进度</translation>
    </message>
    <message>
        <source>Movement asked for</source>
        <translation>要求的动作</translation>
    </message>
    <message>
        <source>Time left for the movement</source>
        <translation>动作剩余时间</translation>
    </message>
    <message>
        <source>Place your face inside the oval.</source>
        <translation>请把脸放在椭圆框内。</translation>
    </message>
    <message>
        <source>Starting the camera…</source>
        <translation>正在启动摄像头…</translation>
    </message>
    <message>
        <source>Now look straight at the camera</source>
        <translation>现在请正视摄像头</translation>
    </message>
    <message>
        <source>Hold still…</source>
        <translation>请保持不动…</translation>
    </message>
</context>
<context>
    <name>CaptureProgressRing</name>
    <message>
        <source>Capture progress</source>
        <translation>采集进度</translation>
    </message>
    <message>
        <source>Frame {0} of {1}</source>
        <translation>第 {0} 帧，共 {1} 帧</translation>
    </message>
    <message>
        <source>Movement {0} of {1}</source>
        <translation>第 {0} 个动作，共 {1} 个</translation>
    </message>
</context>
<context>
    <name>EnrollView</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Member number</source>
        <translation>会员编号</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Membership card number (optional)</source>
        <translation>会员卡号（选填）</translation>
    </message>
    <message>
        <source>The person asks to enroll their face now</source>
        <translation>本人主动要求现在登记人脸</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Card number (optional)</source>
        <translation>卡号（选填）</translation>
    </message>
    <message>
        <source>Face data notice</source>
        <translation>人脸信息告知书</translation>
    </message>
    <message>
        <source>Show the notice in the other language</source>
        <translation>切换告知书语言</translation>
    </message>
    <message>
        <source>I agree to face enrollment</source>
        <translation>我同意人脸登记</translation>
    </message>
    <message>
        <source>No face — use a PIN instead</source>
        <translation>不采集人脸，改用 PIN 码</translation>
    </message>
    <message>
        <source>Parent or guardian&apos;s name</source>
        <translation>父母或其他监护人姓名</translation>
    </message>
    <message>
        <source>Relation to the child</source>
        <translation>与未成年人的关系</translation>
    </message>
    <message>
        <source>Consent message</source>
        <translation>同意提示</translation>
    </message>
    <message>
        <source>New PIN</source>
        <translation>新 PIN 码</translation>
    </message>
    <message>
        <source>New PIN again</source>
        <translation>再次输入新 PIN 码</translation>
    </message>
    <message>
        <source>Not one digit repeated (000000), not digits in a row (123456 or 654321), not the date of birth.</source>
        <translation>不可为同一数字重复（000000）、连续数字（123456 或 654321）或出生日期。</translation>
    </message>
    <message>
        <source>Why no face enrollment</source>
        <translation>不登记人脸的原因</translation>
    </message>
    <message>
        <source>Save PIN</source>
        <translation>保存 PIN 码</translation>
    </message>
    <message>
        <source>New PIN ({0} to {1} digits)</source>
        <translation>新 PIN 码（{0} 至 {1} 位数字）</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>基本信息</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>告知书</translation>
    </message>
    <message>
        <source>Face or PIN</source>
        <translation>人脸或 PIN 码</translation>
    </message>
    <message>
        <source>Enrollment steps</source>
        <translation>登记步骤</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>人脸采集</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN 码</translation>
    </message>
    <message>
        <source>A member number and a name are both needed.</source>
        <translation>会员编号和姓名均为必填项。</translation>
    </message>
    <message>
        <source>Write the date of birth as YYYY-MM-DD.</source>
        <translation>出生日期请按 YYYY-MM-DD 格式填写。</translation>
    </message>
    <message>
        <source>Notice: {0}</source>
        <translation>告知书：{0}</translation>
    </message>
    <message>
        <source>The two PINs differ.</source>
        <translation>两次输入的 PIN 码不一致。</translation>
    </message>
    <message>
        <source>PIN saved. No face data was captured or stored.</source>
        <translation>PIN 码已保存。未采集、未存储任何人脸信息。</translation>
    </message>
</context>
<context>
    <name>ErasureFlow</name>
    <message>
        <source>Erase a member at the end of service</source>
        <translation>服务终止时清除会员信息</translation>
    </message>
    <message>
        <source>Member to erase</source>
        <translation>待清除的会员</translation>
    </message>
    <message>
        <source>Erased: the name, the member and card numbers, the date of birth, the PIN, the consents (face data and transfers) and any face data.
Kept: the audit trail&apos;s events, under a reference number with no name, and the counts in reports.
This cannot be undone. Backups made earlier still hold the record until they are deleted.</source>
        <translation>将清除：姓名、会员编号和卡号、出生日期、PIN 码、各项同意记录（人脸信息及对外提供）以及所有人脸信息。
将保留：审计日志中的记录（以不含姓名的参考编号标识），以及报表中的统计数字。
此操作无法撤销。此前制作的备份在被删除之前仍含有该会员的记录。</translation>
    </message>
    <message>
        <source>What erasing the member does</source>
        <translation>清除会员信息会删除和保留哪些内容</translation>
    </message>
    <message>
        <source>Type the member number again to confirm</source>
        <translation>再次输入会员编号以确认</translation>
    </message>
    <message>
        <source>Erase now</source>
        <translation>立即清除</translation>
    </message>
    <message>
        <source>Keep the member</source>
        <translation>保留该会员</translation>
    </message>
    <message>
        <source>Erasure message</source>
        <translation>清除提示</translation>
    </message>
    <message>
        <source>Erasure receipt</source>
        <translation>清除回执</translation>
    </message>
    <message>
        <source>Print receipt</source>
        <translation>打印回执</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Erase {0} ({1}) and everything the station holds about them?</source>
        <translation>清除 {0}（{1}）以及本工作站保存的其全部信息？</translation>
    </message>
    <message>
        <source>Name and member number</source>
        <translation>姓名和会员编号</translation>
    </message>
    <message>
        <source>Card number {0}</source>
        <translation>卡号 {0}</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Date of birth: none was held</source>
        <translation>出生日期：未曾保存</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN 码</translation>
    </message>
    <message>
        <source>PIN: none was set</source>
        <translation>PIN 码：未曾设置</translation>
    </message>
    <message>
        <source>{0} face template(s)</source>
        <translation>{0} 份人脸特征模板</translation>
    </message>
    <message>
        <source>Face data: none was held</source>
        <translation>人脸信息：未曾保存</translation>
    </message>
    <message>
        <source>{0} face-data consent record(s)</source>
        <translation>{0} 条人脸信息同意记录</translation>
    </message>
    <message>
        <source>{0} transfer consent(s)</source>
        <translation>{0} 条对外提供同意</translation>
    </message>
    <message>
        <source>Transfer consents: none were held</source>
        <translation>对外提供同意：未曾保存</translation>
    </message>
    <message>
        <source>The audit trail&apos;s events about this member, under the reference {0}, with no name, number or date of birth. Only this receipt ties that reference to {1}.</source>
        <translation>审计日志中与该会员有关的记录，以参考编号 {0} 标识，不含姓名、编号或出生日期。只有本回执能将该参考编号与 {1} 对应起来。</translation>
    </message>
    <message>
        <source>Counts only: reports count one more member erased, and their consent answers stay in the totals.</source>
        <translation>仅保留统计数字：报表中的已清除会员数加一，其同意或拒绝的答复仍计入总数。</translation>
    </message>
    <message>
        <source>{0} incident register(s) still count this member among the people affected, without naming them.</source>
        <translation>{0} 份安全事件登记仍将该会员计入受影响人数，但不再记录其身份。</translation>
    </message>
    <message>
        <source>Backups made before {0} still hold the record until they are deleted.</source>
        <translation>{0} 之前制作的备份在被删除之前仍含有该会员的记录。</translation>
    </message>
    <message>
        <source>Erasure receipt: end of service</source>
        <translation>会员信息清除回执（服务终止）</translation>
    </message>
    <message>
        <source>{0} ({1}) was erased from this station on {2}.</source>
        <translation>{0}（{1}）已于 {2} 从本工作站清除。</translation>
    </message>
    <message>
        <source>What was erased</source>
        <translation>已清除的信息</translation>
    </message>
    <message>
        <source>What the station keeps</source>
        <translation>本工作站仍保留的信息</translation>
    </message>
</context>
<context>
    <name>ExportsPanel</name>
    <message>
        <source>Export setting</source>
        <translation>导出设置</translation>
    </message>
    <message>
        <source>Member number or name</source>
        <translation>会员编号或姓名</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>Find the member</source>
        <translation>查找会员</translation>
    </message>
    <message>
        <source>Members found</source>
        <translation>查找结果</translation>
    </message>
    <message>
        <source>No member chosen.</source>
        <translation>未选择会员。</translation>
    </message>
    <message>
        <source>Chosen member</source>
        <translation>已选会员</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>接收方</translation>
    </message>
    <message>
        <source>CN, HK, MO, TW, US ...</source>
        <translation>CN、HK、MO、TW、US 等</translation>
    </message>
    <message>
        <source>Recipient&apos;s country code</source>
        <translation>接收方国家/地区代码</translation>
    </message>
    <message>
        <source>Purpose of the transfer</source>
        <translation>对外提供的目的</translation>
    </message>
    <message>
        <source>Likely impact on the person</source>
        <translation>对个人权益的可能影响</translation>
    </message>
    <message>
        <source>Needed for any recipient outside the mainland (not CN), also HK, MO, TW</source>
        <translation>接收方位于中国大陆以外（非 CN，含 HK、MO、TW）时必填</translation>
    </message>
    <message>
        <source>Security-assessment reference</source>
        <translation>安全评估编号</translation>
    </message>
    <message>
        <source>Record transfer consent</source>
        <translation>记录对外提供同意</translation>
    </message>
    <message>
        <source>Transfer consents of this member</source>
        <translation>该会员的对外提供同意</translation>
    </message>
    <message>
        <source>Withdraw selected consent</source>
        <translation>撤回所选同意</translation>
    </message>
    <message>
        <source>Export passphrase</source>
        <translation>导出口令</translation>
    </message>
    <message>
        <source>Export passphrase again</source>
        <translation>再次输入导出口令</translation>
    </message>
    <message>
        <source>No file chosen.</source>
        <translation>未选择文件。</translation>
    </message>
    <message>
        <source>Export file</source>
        <translation>导出文件</translation>
    </message>
    <message>
        <source>Choose file...</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>Choose the export file</source>
        <translation>选择导出文件</translation>
    </message>
    <message>
        <source>Export for the selected consent</source>
        <translation>按所选同意导出</translation>
    </message>
    <message>
        <source>Export progress</source>
        <translation>导出进度</translation>
    </message>
    <message>
        <source>Export message</source>
        <translation>导出提示</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>会员</translation>
    </message>
    <message>
        <source>New transfer consent</source>
        <translation>新建对外提供同意</translation>
    </message>
    <message>
        <source>Country code</source>
        <translation>国家/地区代码</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>目的</translation>
    </message>
    <message>
        <source>Data types</source>
        <translation>数据类型</translation>
    </message>
    <message>
        <source>Likely impact</source>
        <translation>可能影响</translation>
    </message>
    <message>
        <source>Assessment reference</source>
        <translation>评估编号</translation>
    </message>
    <message>
        <source>Consents and export</source>
        <translation>同意与导出</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>口令</translation>
    </message>
    <message>
        <source>Passphrase again</source>
        <translation>再次输入口令</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Save the face-data export</source>
        <translation>保存人脸信息导出文件</translation>
    </message>
    <message>
        <source>Face Station exports (*.fsx)</source>
        <translation>Face Station 导出文件 (*.fsx)</translation>
    </message>
    <message>
        <source>Face-data export is switched on at this station.</source>
        <translation>本工作站已开启人脸信息导出。</translation>
    </message>
    <message>
        <source>Face-data export is switched off at this station: consents can be withdrawn, nothing can be recorded or exported.</source>
        <translation>本工作站已关闭人脸信息导出：仍可撤回同意，但不能记录新的同意，也不能导出。</translation>
    </message>
    <message>
        <source>No member found.</source>
        <translation>未找到会员。</translation>
    </message>
    <message>
        <source>Member {0}</source>
        <translation>会员 {0}</translation>
    </message>
    <message>
        <source>Transfer consent recorded.</source>
        <translation>已记录对外提供同意。</translation>
    </message>
    <message>
        <source>Transfer consent withdrawn: nothing more goes to {0}.</source>
        <translation>已撤回对外提供同意：不再向 {0} 提供任何信息。</translation>
    </message>
    <message>
        <source>The two passphrases differ; type them again.</source>
        <translation>两次输入的口令不一致，请重新输入。</translation>
    </message>
    <message>
        <source>Exported to {0} for {1} (SHA-256 {2}). Give the passphrase to the recipient another way, never with the file. The export is audit event {3}: write this code on the hand-over record.</source>
        <translation>已导出至 {0}，接收方：{1}（SHA-256 {2}）。请通过其他途径将口令告知接收方，切勿随文件一并发送。本次导出记为审计事件 {3}：请将此代码写在交接记录上。</translation>
    </message>
    <message>
        <source>Face template (numbers, no image)</source>
        <translation>人脸特征模板（数字，不含图像）</translation>
    </message>
    <message>
        <source>Member number</source>
        <translation>会员编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>{0} ({1}) — {2} — recorded {3}</source>
        <translation>{0}（{1}）— {2} — 记录于 {3}</translation>
    </message>
    <message>
        <source>withdrawn {0}</source>
        <translation>撤回于 {0}</translation>
    </message>
</context>
<context>
    <name>HomeView</name>
    <message>
        <source>Member number or name</source>
        <translation>会员编号或姓名</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>Find the member</source>
        <translation>查找会员</translation>
    </message>
    <message>
        <source>Members found</source>
        <translation>查找结果</translation>
    </message>
    <message>
        <source>Enroll</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Verify by face</source>
        <translation>人脸核验</translation>
    </message>
    <message>
        <source>Verify another way</source>
        <translation>其他方式核验</translation>
    </message>
    <message>
        <source>Register a member; they choose face or a PIN.</source>
        <translation>登记会员；由会员选择人脸或 PIN 码。</translation>
    </message>
    <message>
        <source>The member agrees, then looks at the camera.</source>
        <translation>会员同意后，请其正视摄像头。</translation>
    </message>
    <message>
        <source>PIN, card and PIN, or an ID document: no camera.</source>
        <translation>PIN 码、会员卡加 PIN 码或身份证件：不用摄像头。</translation>
    </message>
    <message>
        <source>Today at this station</source>
        <translation>本工作站今日</translation>
    </message>
    <message>
        <source>verified by face</source>
        <translation>人脸核验通过</translation>
    </message>
    <message>
        <source>verified another way</source>
        <translation>其他方式核验通过</translation>
    </message>
    <message>
        <source>faces enrolled</source>
        <translation>人脸登记</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>Find a member</source>
        <translation>查找会员</translation>
    </message>
    <message>
        <source>No member found.</source>
        <translation>未找到会员。</translation>
    </message>
</context>
<context>
    <name>InactivePanel</name>
    <message>
        <source>About the list of inactive members</source>
        <translation>关于长期未到访会员名单</translation>
    </message>
    <message>
        <source>Members with no visit, the longest absent first</source>
        <translation>未到访的会员（未到访时间最长者在前）</translation>
    </message>
    <message>
        <source>Member number</source>
        <translation>会员编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation>最近一次到访</translation>
    </message>
    <message>
        <source>Erase selected member…</source>
        <translation>清除所选会员…</translation>
    </message>
    <message>
        <source>Inactive members message</source>
        <translation>长期未到访会员提示</translation>
    </message>
    <message>
        <source>The list of members with no recent visit is off. Switch it on under “Settings and notice”: “List members with no visit for (months)”.</source>
        <translation>长期未到访会员名单未开启。可在“设置与告知书”中开启：“未到访会员列出期限（月）”。</translation>
    </message>
    <message>
        <source>Members with no visit at the desk for {0} months or more, the longest absent first. Nothing is erased until you choose a member, erase them and confirm.</source>
        <translation>以下会员已有 {0} 个月或更久未到前台，未到访时间最长者在前。只有选中会员、点击清除并确认后，才会清除其信息。</translation>
    </message>
    <message>
        <source>No member has gone {0} months or more without a visit.</source>
        <translation>没有会员连续 {0} 个月或更久未到访。</translation>
    </message>
    <message>
        <source>{0} ({1}) was erased.</source>
        <translation>已清除 {0}（{1}）的信息。</translation>
    </message>
</context>
<context>
    <name>IncidentsPanel</name>
    <message>
        <source>Kind of incident</source>
        <translation>事件类型</translation>
    </message>
    <message>
        <source>Leak</source>
        <translation>泄露</translation>
    </message>
    <message>
        <source>Destruction</source>
        <translation>毁损</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>丢失</translation>
    </message>
    <message>
        <source>The time it happened is known</source>
        <translation>已知发生时间</translation>
    </message>
    <message>
        <source>When it happened</source>
        <translation>发生时间</translation>
    </message>
    <message>
        <source>When it was discovered</source>
        <translation>发现时间</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>事件经过</translation>
    </message>
    <message>
        <source>Which data are affected</source>
        <translation>涉及哪些信息</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Likely harm to the people affected</source>
        <translation>可能对相关人员造成的危害</translation>
    </message>
    <message>
        <source>Remedies taken</source>
        <translation>已采取的补救措施</translation>
    </message>
    <message>
        <source>What the people affected can do</source>
        <translation>相关人员可采取的措施</translation>
    </message>
    <message>
        <source>Everyone with face data now</source>
        <translation>当前所有存有人脸信息的人员</translation>
    </message>
    <message>
        <source>These member numbers</source>
        <translation>以下会员编号</translation>
    </message>
    <message>
        <source>Member numbers affected, separated by commas</source>
        <translation>受影响的会员编号，以逗号分隔</translation>
    </message>
    <message>
        <source>Member numbers, separated by commas</source>
        <translation>会员编号，以逗号分隔</translation>
    </message>
    <message>
        <source>Record the incident</source>
        <translation>记录安全事件</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Happened</source>
        <translation>发生时间</translation>
    </message>
    <message>
        <source>Discovered</source>
        <translation>发现时间</translation>
    </message>
    <message>
        <source>Data affected</source>
        <translation>涉及信息</translation>
    </message>
    <message>
        <source>Likely harm</source>
        <translation>可能危害</translation>
    </message>
    <message>
        <source>What people can do</source>
        <translation>个人可采取的措施</translation>
    </message>
    <message>
        <source>People affected</source>
        <translation>受影响人员</translation>
    </message>
    <message>
        <source>Record an incident</source>
        <translation>记录安全事件</translation>
    </message>
    <message>
        <source>Incident register</source>
        <translation>安全事件台账</translation>
    </message>
    <message>
        <source>People affected by the selected incident</source>
        <translation>所选事件的受影响人员</translation>
    </message>
    <message>
        <source>Language of the notices</source>
        <translation>告知书语言</translation>
    </message>
    <message>
        <source>Notices in English</source>
        <translation>英文告知书</translation>
    </message>
    <message>
        <source>Notices in Simplified Chinese</source>
        <translation>简体中文告知书</translation>
    </message>
    <message>
        <source>Write notices to a folder</source>
        <translation>将告知书保存到文件夹</translation>
    </message>
    <message>
        <source>Save the register as CSV</source>
        <translation>将台账保存为 CSV</translation>
    </message>
    <message>
        <source>Save the people as CSV</source>
        <translation>将受影响人员保存为 CSV</translation>
    </message>
    <message>
        <source>Incidents message</source>
        <translation>安全事件提示</translation>
    </message>
    <message>
        <source>{0} — {1} — {2} people affected — {3}</source>
        <translation>{0} — {1} — 受影响 {2} 人 — {3}</translation>
    </message>
    <message>
        <source>{0} — {1}</source>
        <translation>{0} — {1}</translation>
    </message>
    <message>
        <source>{0} of the people affected were since erased at the end of service: no notice can be produced for them.</source>
        <translation>受影响人员中有 {0} 人已在服务终止时清除信息：无法再为其生成告知书。</translation>
    </message>
    <message>
        <source>what happened</source>
        <translation>事件经过</translation>
    </message>
    <message>
        <source>data affected</source>
        <translation>涉及信息</translation>
    </message>
    <message>
        <source>cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>likely harm</source>
        <translation>可能危害</translation>
    </message>
    <message>
        <source>remedies taken</source>
        <translation>已采取的补救措施</translation>
    </message>
    <message>
        <source>what people can do</source>
        <translation>个人可采取的措施</translation>
    </message>
    <message>
        <source>Fill in: {0}.</source>
        <translation>请填写：{0}。</translation>
    </message>
    <message>
        <source>It cannot have been discovered before it happened.</source>
        <translation>发现时间不能早于发生时间。</translation>
    </message>
    <message>
        <source>Enter the member numbers affected.</source>
        <translation>请输入受影响的会员编号。</translation>
    </message>
    <message>
        <source>Incident recorded (reference {0}): {1} people affected.</source>
        <translation>安全事件已记录（编号 {0}）：受影响 {1} 人。</translation>
    </message>
    <message>
        <source>Choose a folder for the notices</source>
        <translation>选择告知书的保存文件夹</translation>
    </message>
    <message>
        <source>Wrote {0} notice(s) to {1}.</source>
        <translation>已将 {0} 份告知书保存到 {1}。</translation>
    </message>
    <message>
        <source>Save the incident register as CSV</source>
        <translation>将安全事件台账保存为 CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Save the people affected as CSV</source>
        <translation>将受影响人员保存为 CSV</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <source>Could not write {0}. Choose another place.</source>
        <translation>无法写入 {0}。请选择其他位置。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Station status</source>
        <translation>工作站状态</translation>
    </message>
    <message>
        <source>Switch the language of the window</source>
        <translation>切换界面语言</translation>
    </message>
    <message>
        <source>My password</source>
        <translation>我的密码</translation>
    </message>
    <message>
        <source>Change my password</source>
        <translation>修改我的密码</translation>
    </message>
    <message>
        <source>Administration</source>
        <translation>管理</translation>
    </message>
    <message>
        <source>Open the administration screen</source>
        <translation>打开管理界面</translation>
    </message>
    <message>
        <source>Finish the current step, then switch the language.</source>
        <translation>请先完成当前步骤，再切换语言。</translation>
    </message>
    <message>
        <source>The translation is missing: run `make setup`.</source>
        <translation>缺少翻译文件：请运行 `make setup`。</translation>
    </message>
    <message>
        <source>Locked after a period without use. Sign in to continue.</source>
        <translation>长时间未操作，已锁定。请登录后继续。</translation>
    </message>
    <message>
        <source>The face models could not be loaded ({0}). Face actions are off; verify another way.</source>
        <translation>无法加载人脸模型（{0}）。人脸功能已停用，请使用其他方式核验。</translation>
    </message>
    <message>
        <source>Signed in as an auditor: the audit trail and the reports are under Administration.</source>
        <translation>已以审计员身份登录：审计日志和报告位于“管理”中。</translation>
    </message>
    <message>
        <source>{0} Face actions are off; verify another way.</source>
        <translation>{0} 人脸功能已停用，请使用其他方式核验。</translation>
    </message>
    <message>
        <source>Loading the face models…</source>
        <translation>正在加载人脸模型…</translation>
    </message>
    <message>
        <source>The liveness check is off: a photo or a screen of a member&apos;s face would not be refused.</source>
        <translation>活体检测已关闭：会员人脸的照片或屏幕画面不会被拒绝。</translation>
    </message>
</context>
<context>
    <name>MemberDisplay</name>
    <message>
        <source>To member</source>
        <translation>转向会员</translation>
    </message>
    <message>
        <source>Turn the screen to the member</source>
        <translation>把屏幕转给会员看</translation>
    </message>
    <message>
        <source>Shows the member&apos;s screen full-screen: the notice, the camera and the result, nothing else. Press {0} to come back.</source>
        <translation>全屏显示会员屏幕：只有告知书、摄像头画面和结果，没有其他内容。按 {0} 返回。</translation>
    </message>
</context>
<context>
    <name>MemberScreen</name>
    <message>
        <source>Welcome</source>
        <translation>欢迎</translation>
    </message>
    <message>
        <source>The staff will be with you in a moment.</source>
        <translation>工作人员马上为您服务。</translation>
    </message>
    <message>
        <source>Your choice</source>
        <translation>您的选择</translation>
    </message>
    <message>
        <source>Tell the staff yes or no. You can always use a PIN instead; saying no changes nothing else.</source>
        <translation>请告诉工作人员您是否同意。您随时可以改用 PIN 码；不同意不会影响其他任何服务。</translation>
    </message>
    <message>
        <source>This notice is also in {0}: ask the staff.</source>
        <translation>本告知书另有{0}版本，请向工作人员索取。</translation>
    </message>
    <message>
        <source>Please look at the camera</source>
        <translation>请看摄像头</translation>
    </message>
    <message>
        <source>Thank you. The camera starts in a moment.</source>
        <translation>谢谢。摄像头马上开启。</translation>
    </message>
    <message>
        <source>Hold still, please.</source>
        <translation>请保持不动。</translation>
    </message>
    <message>
        <source>Now look straight at the camera.</source>
        <translation>现在请正视摄像头。</translation>
    </message>
    <message>
        <source>Picture {0} of {1}</source>
        <translation>第 {0} 张，共 {1} 张</translation>
    </message>
    <message>
        <source>Movement {0} of {1}</source>
        <translation>第 {0} 个动作，共 {1} 个</translation>
    </message>
    <message>
        <source>All done. Thank you.</source>
        <translation>已全部完成，谢谢。</translation>
    </message>
    <message>
        <source>The staff will finish with you.</source>
        <translation>工作人员会为您办完其余手续。</translation>
    </message>
    <message>
        <source>You are verified. Thank you.</source>
        <translation>核验通过，谢谢。</translation>
    </message>
    <message>
        <source>That did not work this time.</source>
        <translation>这次没有成功。</translation>
    </message>
    <message>
        <source>The staff will help you: try again, or use another way.</source>
        <translation>工作人员会协助您：再试一次，或改用其他方式。</translation>
    </message>
    <message>
        <source>Please use another way.</source>
        <translation>请改用其他方式。</translation>
    </message>
    <message>
        <source>The staff will help you with a PIN, your card or an identity document.</source>
        <translation>工作人员会协助您使用 PIN 码、会员卡或身份证件。</translation>
    </message>
    <message>
        <source>No face data will be taken.</source>
        <translation>不会采集您的人脸信息。</translation>
    </message>
    <message>
        <source>Thank you. The staff will set up another way with you.</source>
        <translation>谢谢。工作人员会与您设置其他核验方式。</translation>
    </message>
</context>
<context>
    <name>OperatorsPanel</name>
    <message>
        <source>Operator accounts</source>
        <translation>操作员账户</translation>
    </message>
    <message>
        <source>Operators message</source>
        <translation>操作员提示</translation>
    </message>
    <message>
        <source>New operator&apos;s name</source>
        <translation>新操作员姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Operator: enroll, verify, the subject page</source>
        <translation>操作员：登记、核验、会员页面</translation>
    </message>
    <message>
        <source>Administrator: everything, including settings</source>
        <translation>管理员：全部功能，包括设置</translation>
    </message>
    <message>
        <source>Auditor: reads the audit trail and reports</source>
        <translation>审计员：查看审计日志和报告</translation>
    </message>
    <message>
        <source>Their password</source>
        <translation>其密码</translation>
    </message>
    <message>
        <source>Their password again</source>
        <translation>再次输入其密码</translation>
    </message>
    <message>
        <source>Your password, to confirm</source>
        <translation>您的密码（用于确认）</translation>
    </message>
    <message>
        <source>Add operator</source>
        <translation>添加操作员</translation>
    </message>
    <message>
        <source>Remove the selected operator</source>
        <translation>移除所选操作员</translation>
    </message>
    <message>
        <source>Set the selected operator&apos;s password</source>
        <translation>设置所选操作员的密码</translation>
    </message>
    <message>
        <source>Replace the recovery key</source>
        <translation>更换恢复密钥</translation>
    </message>
    <message>
        <source>New recovery key</source>
        <translation>新恢复密钥</translation>
    </message>
    <message>
        <source>Back up the station to a file</source>
        <translation>将工作站备份到文件</translation>
    </message>
    <message>
        <source>Backup progress</source>
        <translation>备份进度</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Add an operator, or set a password</source>
        <translation>添加操作员或设置密码</translation>
    </message>
    <message>
        <source>active</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>removed {0}</source>
        <translation>已于 {0} 移除</translation>
    </message>
    <message>
        <source>Not done: {0}</source>
        <translation>未完成：{0}</translation>
    </message>
    <message>
        <source>{0} can now sign in.</source>
        <translation>{0} 现在可以登录了。</translation>
    </message>
    <message>
        <source>Select an operator first.</source>
        <translation>请先选择一名操作员。</translation>
    </message>
    <message>
        <source>New password set for {0}.</source>
        <translation>已为 {0} 设置新密码。</translation>
    </message>
    <message>
        <source>{0} was removed; their key slot is destroyed.</source>
        <translation>已移除 {0}；其密钥槽已销毁。</translation>
    </message>
    <message>
        <source>The old recovery key no longer works. Write the new one down now.</source>
        <translation>旧恢复密钥已失效。请立即抄下新的恢复密钥。</translation>
    </message>
    <message>
        <source>Save the backup</source>
        <translation>保存备份</translation>
    </message>
    <message>
        <source>Backups (*.backup)</source>
        <translation>备份文件 (*.backup)</translation>
    </message>
    <message>
        <source>Backup saved to {0} ({1} bytes). It is encrypted: today&apos;s passwords and recovery key open it. Keep it away from the station.</source>
        <translation>备份已保存到 {0}（{1} 字节）。备份已加密：可用当前的密码和恢复密钥打开。请将其存放在远离本工作站的地方。</translation>
    </message>
    <message>
        <source>It holds the audit trail up to {0}: write this code on the backup&apos;s label or hand-over record.</source>
        <translation>备份包含截至 {0} 的审计日志：请将此代码写在备份的标签或交接记录上。</translation>
    </message>
</context>
<context>
    <name>ReportsPanel</name>
    <message>
        <source>Processing record and filing status</source>
        <translation>处理记录与备案状态</translation>
    </message>
    <message>
        <source>Filing status</source>
        <translation>备案状态</translation>
    </message>
    <message>
        <source>Face templates to enroll again</source>
        <translation>需重新登记的人脸模板</translation>
    </message>
    <message>
        <source>Processing record and impact-assessment draft</source>
        <translation>处理记录及个人信息保护影响评估草稿</translation>
    </message>
    <message>
        <source>Reports message</source>
        <translation>报告提示</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>保存为 PDF</translation>
    </message>
    <message>
        <source>Save as CSV</source>
        <translation>保存为 CSV</translation>
    </message>
    <message>
        <source>Report progress</source>
        <translation>报告生成进度</translation>
    </message>
    <message>
        <source>Filing due: {0} people have face data stored, at or above the threshold of {1}. File with the provincial cyberspace administration within 30 working days.</source>
        <translation>需要备案：已存储 {0} 人的人脸信息，达到或超过备案门槛（{1} 人）。请在 30 个工作日内向省级网信部门备案。</translation>
    </message>
    <message>
        <source>Warning: {0} people have face data stored, near the filing threshold of {1} (warning from {2}). Prepare the filing.</source>
        <translation>提醒：已存储 {0} 人的人脸信息，接近备案门槛（{1} 人；{2} 人起提醒）。请准备备案。</translation>
    </message>
    <message>
        <source>{0} people have face data stored. A filing is due at {1}; the warning starts at {2}.</source>
        <translation>已存储 {0} 人的人脸信息。达到 {1} 人时须备案；{2} 人起提醒。</translation>
    </message>
    <message>
        <source>{0} people have a face template made by older models and should be enrolled again; until then it still works.</source>
        <translation>{0} 人的人脸特征模板由旧版模型生成，应重新登记人脸；在此之前仍可正常使用。</translation>
    </message>
    <message>
        <source>Nobody has a face template made by older models.</source>
        <translation>没有由旧版模型生成的人脸特征模板。</translation>
    </message>
    <message>
        <source>{0} people have a face template made by models this station does not have: it cannot be used; enroll them again.</source>
        <translation>{0} 人的人脸特征模板由本机没有的模型生成，无法使用；请为其重新登记人脸。</translation>
    </message>
    <message>
        <source>Version {0} (current, {1}): {2} people</source>
        <translation>第 {0} 版（当前版本，{1}）：{2} 人</translation>
    </message>
    <message>
        <source>Version {0} ({1}): {2} people</source>
        <translation>第 {0} 版（{1}）：{2} 人</translation>
    </message>
    <message>
        <source>Save the processing record as PDF</source>
        <translation>将处理记录保存为 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <source>Save the processing record as CSV</source>
        <translation>将处理记录保存为 CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Could not write {0}. Choose another place.</source>
        <translation>无法写入 {0}。请选择其他位置。</translation>
    </message>
</context>
<context>
    <name>SettingsPanel</name>
    <message>
        <source>No face enrollment under 14</source>
        <translation>不满 14 周岁不登记人脸</translation>
    </message>
    <message>
        <source>Under 14 only with a guardian&apos;s consent</source>
        <translation>不满 14 周岁须经监护人同意</translation>
    </message>
    <message>
        <source>Controller (English)</source>
        <translation>个人信息处理者（英文）</translation>
    </message>
    <message>
        <source>Controller (Chinese)</source>
        <translation>个人信息处理者（中文）</translation>
    </message>
    <message>
        <source>Contact (English)</source>
        <translation>联系方式（英文）</translation>
    </message>
    <message>
        <source>Contact (Chinese)</source>
        <translation>联系方式（中文）</translation>
    </message>
    <message>
        <source>Purpose (English)</source>
        <translation>处理目的（英文）</translation>
    </message>
    <message>
        <source>Purpose (Chinese)</source>
        <translation>处理目的（中文）</translation>
    </message>
    <message>
        <source>Keep face templates (days)</source>
        <translation>人脸特征模板保存期限（天）</translation>
    </message>
    <message>
        <source>Frames per enrollment</source>
        <translation>每次登记帧数</translation>
    </message>
    <message>
        <source>Operating point (false matches accepted)</source>
        <translation>工作点（可接受的误匹配率）</translation>
    </message>
    <message>
        <source>Allow 1:N identification</source>
        <translation>允许 1:N 识别</translation>
    </message>
    <message>
        <source>Liveness check: a short movement confirms a live person</source>
        <translation>活体检测：用一个简短动作确认是真人</translation>
    </message>
    <message>
        <source>Minors</source>
        <translation>未成年人</translation>
    </message>
    <message>
        <source>No face prompt after a decline (hours)</source>
        <translation>拒绝后暂停询问人脸（小时）</translation>
    </message>
    <message>
        <source>Allow exports of face data</source>
        <translation>允许导出人脸信息</translation>
    </message>
    <message>
        <source>Warn at this many people with face data</source>
        <translation>人脸信息人数提醒值</translation>
    </message>
    <message>
        <source>Keep processing records (days)</source>
        <translation>处理记录保存期限（天）</translation>
    </message>
    <message>
        <source>Check for expired templates every (minutes)</source>
        <translation>过期模板检查间隔（分钟）</translation>
    </message>
    <message>
        <source>List members with no visit for (months)</source>
        <translation>未到访会员列出期限（月）</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Notice in force</source>
        <translation>现行告知书</translation>
    </message>
    <message>
        <source>Settings message</source>
        <translation>设置提示</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>保存设置</translation>
    </message>
    <message>
        <source>Publish the notice again</source>
        <translation>重新发布告知书</translation>
    </message>
    <message>
        <source>Type {0} to confirm</source>
        <translation>输入 {0} 以确认</translation>
    </message>
    <message>
        <source>Decommission: destroy every key and the store</source>
        <translation>停用并销毁：销毁全部密钥和数据库</translation>
    </message>
    <message>
        <source>Decommission the station</source>
        <translation>停用并销毁工作站</translation>
    </message>
    <message>
        <source>Destroys every face template, every record and the audit trail, and the keys, so nothing can be recovered. Type {0} to confirm.</source>
        <translation>将销毁全部人脸特征模板、全部记录、审计日志及密钥，任何数据都无法恢复。请输入 {0} 以确认。</translation>
    </message>
    <message>
        <source>1 in {0} false matches (FNMR {1} % measured)</source>
        <translation>每 {0} 次比对至多 1 次误匹配（实测误拒率 {1}%）</translation>
    </message>
    <message>
        <source>1 in {0} false matches (FNMR {1} % measured; too few impostor pairs to confirm the rate)</source>
        <translation>每 {0} 次比对至多 1 次误匹配（实测误拒率 {1}%；他人比对样本太少，无法确认这一比率）</translation>
    </message>
    <message>
        <source>Notice in force: version {0}, published {1} by {2}.</source>
        <translation>现行告知书：版本 {0}，由 {2} 于 {1} 发布。</translation>
    </message>
    <message>
        <source>Not saved: {0}</source>
        <translation>未保存：{0}</translation>
    </message>
    <message>
        <source>Nothing changed.</source>
        <translation>没有任何更改。</translation>
    </message>
    <message>
        <source>Saved {0} change(s). The notice&apos;s text changed, so version {1} is now in force: everyone is asked to consent again before any face use.</source>
        <translation>已保存 {0} 项更改。告知书内容已变更，现行版本为 {1}：所有人再次使用人脸前均须重新同意。</translation>
    </message>
    <message>
        <source>Saved {0} change(s).</source>
        <translation>已保存 {0} 项更改。</translation>
    </message>
    <message>
        <source>Notice version {0} published: everyone is asked to consent again before any face use.</source>
        <translation>已发布告知书版本 {0}：所有人再次使用人脸前均须重新同意。</translation>
    </message>
    <message>
        <source>Type {0} exactly to decommission. Nothing was destroyed.</source>
        <translation>须准确输入 {0} 才能停用并销毁。未销毁任何数据。</translation>
    </message>
</context>
<context>
    <name>StartView</name>
    <message>
        <source>Operator name</source>
        <translation>操作员姓名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>Sign-in message</source>
        <translation>登录提示</translation>
    </message>
    <message>
        <source>First start: create the station and its administrator</source>
        <translation>首次启动：创建工作站及其管理员</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Create the station</source>
        <translation>创建工作站</translation>
    </message>
    <message>
        <source>Forgot the password? Use the recovery key</source>
        <translation>忘记密码？使用恢复密钥</translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation>恢复密钥</translation>
    </message>
    <message>
        <source>I have written it down</source>
        <translation>我已抄写保存</translation>
    </message>
    <message>
        <source>This is the station&apos;s recovery key. Write it down and keep it in a safe place: with it an administrator who forgot their password can set a new one. It is shown only now and is stored nowhere.</source>
        <translation>这是本工作站的恢复密钥。请抄写下来并妥善保管：管理员忘记密码时可凭它设置新密码。它只在此时显示一次，任何地方都不保存。</translation>
    </message>
    <message>
        <source>Administrator&apos;s name</source>
        <translation>管理员姓名</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>Recovery message</source>
        <translation>恢复提示</translation>
    </message>
    <message>
        <source>Set the new password</source>
        <translation>设置新密码</translation>
    </message>
    <message>
        <source>Back to sign-in</source>
        <translation>返回登录</translation>
    </message>
    <message>
        <source>Enter the operator name and the password.</source>
        <translation>请输入操作员姓名和密码。</translation>
    </message>
    <message>
        <source>Opening the store…</source>
        <translation>正在打开数据库…</translation>
    </message>
    <message>
        <source>That recovery key and name do not open this station as an administrator. Nothing was changed.</source>
        <translation>该恢复密钥和姓名无法以管理员身份打开本工作站。未做任何更改。</translation>
    </message>
    <message>
        <source>New password set for {0}. Sign in with it.</source>
        <translation>已为 {0} 设置新密码，请用它登录。</translation>
    </message>
</context>
<context>
    <name>StationHeader</name>
    <message>
        <source>Station header</source>
        <translation>工作站信息栏</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>auditor</source>
        <translation>审计员</translation>
    </message>
    <message>
        <source>Site: {0}</source>
        <translation>场所：{0}</translation>
    </message>
    <message>
        <source>{0} ({1})</source>
        <translation>{0}（{1}）</translation>
    </message>
    <message>
        <source>Signed in: {0}</source>
        <translation>当前登录：{0}</translation>
    </message>
    <message>
        <source>Camera: not found</source>
        <translation>摄像头：未找到</translation>
    </message>
    <message>
        <source>No camera is connected: verify another way.</source>
        <translation>未连接摄像头：请使用其他方式核验。</translation>
    </message>
    <message>
        <source>Camera: in use</source>
        <translation>摄像头：使用中</translation>
    </message>
    <message>
        <source>The camera is on for the member who agreed to it.</source>
        <translation>摄像头已为同意使用人脸的会员开启。</translation>
    </message>
    <message>
        <source>Camera: ready when needed</source>
        <translation>摄像头：需要时开启</translation>
    </message>
    <message>
        <source>A camera is connected. It is opened only after the member agrees to the use of their face.</source>
        <translation>已连接摄像头。只有在会员同意使用其人脸信息后才会开启。</translation>
    </message>
    <message>
        <source>Camera state</source>
        <translation>摄像头状态</translation>
    </message>
    <message>
        <source>Face models: error</source>
        <translation>人脸模型：出错</translation>
    </message>
    <message>
        <source>The face models could not be loaded: {0}</source>
        <translation>无法加载人脸模型：{0}</translation>
    </message>
    <message>
        <source>Face models: loaded</source>
        <translation>人脸模型：已加载</translation>
    </message>
    <message>
        <source>The face models are loaded: face actions are available.</source>
        <translation>人脸模型已加载：可以使用人脸功能。</translation>
    </message>
    <message>
        <source>Face models: loading…</source>
        <translation>人脸模型：加载中…</translation>
    </message>
    <message>
        <source>The face models are loading; the other way works meanwhile.</source>
        <translation>人脸模型正在加载；其间可使用其他方式核验。</translation>
    </message>
    <message>
        <source>Face models state</source>
        <translation>人脸模型状态</translation>
    </message>
    <message>
        <source>Store: open, encrypted ({0})</source>
        <translation>数据库：已打开，已加密（{0}）</translation>
    </message>
    <message>
        <source>Store state</source>
        <translation>数据库状态</translation>
    </message>
    <message>
        <source>The member store is open and encrypted, in the folder {0}.</source>
        <translation>会员数据库已打开并加密，位于文件夹 {0}。</translation>
    </message>
</context>
<context>
    <name>StepIndicator</name>
    <message>
        <source>Step {0} of {1}: {2}</source>
        <translation>第 {0} 步，共 {1} 步：{2}</translation>
    </message>
</context>
<context>
    <name>SubjectView</name>
    <message>
        <source>What the station holds about this person</source>
        <translation>本工作站保存的该人员信息</translation>
    </message>
    <message>
        <source>Subject page message</source>
        <translation>人员页面提示</translation>
    </message>
    <message>
        <source>Enroll face</source>
        <translation>登记人脸</translation>
    </message>
    <message>
        <source>Withdraw consent and delete face data</source>
        <translation>撤回同意并删除人脸信息</translation>
    </message>
    <message>
        <source>Re-enable face verification</source>
        <translation>重新启用人脸核验</translation>
    </message>
    <message>
        <source>Re-enable PIN verification</source>
        <translation>重新启用 PIN 码核验</translation>
    </message>
    <message>
        <source>Erase member (end of service)</source>
        <translation>清除会员信息（服务终止）</translation>
    </message>
    <message>
        <source>Print receipt</source>
        <translation>打印回执</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Enroll again</source>
        <translation>重新登记人脸</translation>
    </message>
    <message>
        <source>{0}: {1} face template(s) destroyed</source>
        <translation>{0}：已销毁 {1} 份人脸特征模板</translation>
    </message>
    <message>
        <source>not given</source>
        <translation>未提供</translation>
    </message>
    <message>
        <source>One face template (no image), kept until {0}.</source>
        <translation>一份人脸特征模板（不含图像），保存至 {0}。</translation>
    </message>
    <message>
        <source>No face data is held.</source>
        <translation>未保存任何人脸信息。</translation>
    </message>
    <message>
        <source>No face-data consent recorded.</source>
        <translation>无人脸信息同意记录。</translation>
    </message>
    <message>
        <source>Face-data consent accepted on {0} (notice {1}, recorded by {2}).</source>
        <translation>已于 {0} 同意处理人脸信息（告知书版本 {1}，记录人：{2}）。</translation>
    </message>
    <message>
        <source>Face-data consent declined or withdrawn on {0} (notice {1}, recorded by {2}).</source>
        <translation>已于 {0} 拒绝或撤回人脸信息同意（告知书版本 {1}，记录人：{2}）。</translation>
    </message>
    <message>
        <source>Date of birth: {0}</source>
        <translation>出生日期：{0}</translation>
    </message>
    <message>
        <source>PIN set</source>
        <translation>已设置 PIN 码</translation>
    </message>
    <message>
        <source>no PIN; ID document check</source>
        <translation>未设置 PIN 码，核验身份证件</translation>
    </message>
    <message>
        <source>Other way to verify: {0}</source>
        <translation>其他核验方式：{0}</translation>
    </message>
    <message>
        <source>Recent events</source>
        <translation>最近记录</translation>
    </message>
    <message>
        <source>This face template was made by older face models. It still works; enrolling again, under the consent already given, moves it to the current models.</source>
        <translation>该人脸特征模板由旧版人脸模型生成，目前仍可使用；在已有的同意下重新登记人脸，即可换用当前模型。</translation>
    </message>
    <message>
        <source>This face template was made by face models this station does not have, so it cannot be used: enroll again, or verify another way.</source>
        <translation>该人脸特征模板由本机没有的人脸模型生成，无法使用：请重新登记人脸，或使用其他方式核验。</translation>
    </message>
    <message>
        <source>PIN verification is off after {0} wrong PINs in a row (since {1}) until an administrator re-enables it; the identity document check works.</source>
        <translation>连续 {0} 次 PIN 码错误后（自 {1} 起）已停用 PIN 码核验，直至管理员重新启用；身份证件核验仍可使用。</translation>
    </message>
    <message>
        <source>{0} wrong PIN(s) in a row; the count starts again at the next success.</source>
        <translation>已连续 {0} 次 PIN 码错误；下次核验成功后重新计数。</translation>
    </message>
    <message>
        <source>PIN verification re-enabled; the wrong PINs count starts from zero.</source>
        <translation>PIN 码核验已重新启用；错误次数从零开始计算。</translation>
    </message>
    <message>
        <source>Face verification is off after {0} failed attempts in a row (since {1}) until an administrator re-enables it; the other ways to verify work.</source>
        <translation>连续 {0} 次人脸核验失败后（自 {1} 起）已停用人脸核验，直至管理员重新启用；其他核验方式仍可使用。</translation>
    </message>
    <message>
        <source>{0} failed face attempt(s) in a row; the count starts again at the next success.</source>
        <translation>已连续 {0} 次人脸核验失败；下次核验成功后重新计数。</translation>
    </message>
    <message>
        <source>Face verification re-enabled; the failed attempts count starts from zero.</source>
        <translation>人脸核验已重新启用；失败次数从零开始计算。</translation>
    </message>
    <message>
        <source>Consent withdrawn; {0} face template(s) destroyed. Print the receipt for the person.</source>
        <translation>已撤回同意，已销毁 {0} 份人脸特征模板。请为本人打印回执。</translation>
    </message>
</context>
<context>
    <name>VerifyFaceView</name>
    <message>
        <source>Member number being claimed</source>
        <translation>所声明的会员编号</translation>
    </message>
    <message>
        <source>Member number</source>
        <translation>会员编号</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Verify another way</source>
        <translation>其他方式核验</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Who is this person claiming to be?</source>
        <translation>此人声明的身份是？</translation>
    </message>
    <message>
        <source>Enter the member number first.</source>
        <translation>请先输入会员编号。</translation>
    </message>
</context>
<context>
    <name>WorkProgress</name>
    <message>
        <source>Unlocking the data key</source>
        <translation>正在解锁数据密钥</translation>
    </message>
    <message>
        <source>Checking the store</source>
        <translation>正在检查数据库</translation>
    </message>
    <message>
        <source>Copying the store</source>
        <translation>正在复制数据库</translation>
    </message>
    <message>
        <source>Checking the copy</source>
        <translation>正在检查副本</translation>
    </message>
    <message>
        <source>Writing the backup file</source>
        <translation>正在写入备份文件</translation>
    </message>
    <message>
        <source>Reading the backup file back</source>
        <translation>正在回读校验备份文件</translation>
    </message>
    <message>
        <source>Checking the backup file</source>
        <translation>正在检查备份文件</translation>
    </message>
    <message>
        <source>Opening the restored store</source>
        <translation>正在打开恢复后的数据库</translation>
    </message>
    <message>
        <source>Encrypting and writing the export</source>
        <translation>正在加密并写入导出文件</translation>
    </message>
    <message>
        <source>Recording the export in the audit trail</source>
        <translation>正在将本次导出记入审计日志</translation>
    </message>
    <message>
        <source>Counting the records</source>
        <translation>正在统计记录</translation>
    </message>
    <message>
        <source>{0}: %p%</source>
        <translation>{0}：%p%</translation>
    </message>
</context>
<context>
    <name>receipts</name>
    <message>
        <source>Audit trail record: {0}</source>
        <translation>审计日志代码：{0}</translation>
    </message>
</context>
<context>
    <name>texts</name>
    <message>
        <source>No face seen: please look at the camera.</source>
        <translation>未检测到人脸：请看向摄像头。</translation>
    </message>
    <message>
        <source>Only one person in front of the camera, please.</source>
        <translation>摄像头前请只保留一人。</translation>
    </message>
    <message>
        <source>Please move closer to the camera.</source>
        <translation>请靠近摄像头。</translation>
    </message>
    <message>
        <source>Please move to the centre of the picture.</source>
        <translation>请移到画面中央。</translation>
    </message>
    <message>
        <source>Please face the camera directly.</source>
        <translation>请正对摄像头。</translation>
    </message>
    <message>
        <source>Please hold still for a moment.</source>
        <translation>请保持不动片刻。</translation>
    </message>
    <message>
        <source>More light is needed.</source>
        <translation>光线不足。</translation>
    </message>
    <message>
        <source>Too much light: please step out of direct light.</source>
        <translation>光线过强：请避开直射光。</translation>
    </message>
    <message>
        <source>The camera sent an unusable picture.</source>
        <translation>摄像头画面无法使用。</translation>
    </message>
    <message>
        <source>Resident identity card</source>
        <translation>居民身份证</translation>
    </message>
    <message>
        <source>Passport</source>
        <translation>护照</translation>
    </message>
    <message>
        <source>Driving licence</source>
        <translation>驾驶证</translation>
    </message>
    <message>
        <source>Other document</source>
        <translation>其他证件</translation>
    </message>
    <message>
        <source>Most frames were refused: {0}</source>
        <translation>多数画面未通过：{0}</translation>
    </message>
    <message>
        <source>Enrolled. Stored: one face template, no image. Kept until {0}.</source>
        <translation>登记完成。仅保存一份人脸特征模板，不保存图像，保存至 {0}。</translation>
    </message>
    <message>
        <source>Face enrollment needs the person&apos;s consent to the current notice first.</source>
        <translation>人脸登记前，须先取得本人对现行告知书的同意。</translation>
    </message>
    <message>
        <source>Face enrollment is not allowed for this member (age or date of birth).</source>
        <translation>该会员不可登记人脸（年龄或出生日期原因）。</translation>
    </message>
    <message>
        <source>Stopped at the time limit with {0} of {1} good frames. Nothing was stored.</source>
        <translation>已到时间上限，仅获得 {0}/{1} 帧合格画面。未保存任何数据。</translation>
    </message>
    <message>
        <source>Turn your head to your left</source>
        <translation>请向左转头</translation>
    </message>
    <message>
        <source>Turn your head to your right</source>
        <translation>请向右转头</translation>
    </message>
    <message>
        <source>Look up</source>
        <translation>请抬头向上看</translation>
    </message>
    <message>
        <source>We could not confirm that a live person is in front of the camera. Nothing was stored. Try again, facing the camera and doing the movement shown on the screen, or use another way.</source>
        <translation>无法确认摄像头前是真人。未保存任何内容。请正对摄像头，按屏幕上显示的动作重试，或改用其他方式。</translation>
    </message>
    <message>
        <source>The camera stream ended with {0} of {1} good frames. Nothing was stored.</source>
        <translation>摄像头画面已结束，仅获得 {0}/{1} 帧合格画面。未保存任何数据。</translation>
    </message>
    <message>
        <source>Verified by face: {0} ({1})</source>
        <translation>人脸核验通过：{0}（{1}）</translation>
    </message>
    <message>
        <source>Verified by PIN: {0} ({1})</source>
        <translation>PIN 码核验通过：{0}（{1}）</translation>
    </message>
    <message>
        <source>Verified by an identity document: {0} ({1})</source>
        <translation>身份证件核验通过：{0}（{1}）</translation>
    </message>
    <message>
        <source>Not verified: wrong PIN.</source>
        <translation>核验未通过：PIN 码错误。</translation>
    </message>
    <message>
        <source>Not verified: the face did not match.</source>
        <translation>核验未通过：人脸不匹配。</translation>
    </message>
    <message>
        <source>No usable face template for this member: verify another way or re-enroll.</source>
        <translation>该会员没有可用的人脸特征模板：请使用其他方式核验或重新登记。</translation>
    </message>
    <message>
        <source>The face-data notice has changed since this member agreed: ask again on the subject page, or verify another way.</source>
        <translation>该会员同意后，人脸信息告知书已更新：请在人员页面重新征求同意，或使用其他方式核验。</translation>
    </message>
    <message>
        <source>This member has no PIN set: check an identity document instead.</source>
        <translation>该会员未设置 PIN 码：请改为核验身份证件。</translation>
    </message>
    <message>
        <source>Too many wrong PINs: wait {0} s before trying again, or check an identity document.</source>
        <translation>PIN 码错误次数过多：请等待 {0} 秒后再试，或核验身份证件。</translation>
    </message>
    <message>
        <source>Too many failed face attempts: wait {0} s before trying again, or verify by PIN, card + PIN or an identity document.</source>
        <translation>人脸核验失败次数过多：请等待 {0} 秒后再试，或使用 PIN 码、卡号加 PIN 码或身份证件核验。</translation>
    </message>
    <message>
        <source>Face verification is off for this member after too many failed attempts, until an administrator re-enables it. Verify by PIN, card + PIN or an identity document.</source>
        <translation>该会员的人脸核验因失败次数过多已停用，直至管理员重新启用。请使用 PIN 码、卡号加 PIN 码或身份证件核验。</translation>
    </message>
    <message>
        <source>PIN verification is off for this member after too many wrong PINs, until an administrator re-enables it. Check an identity document instead.</source>
        <translation>该会员的 PIN 码核验因错误次数过多已停用，直至管理员重新启用。请改为核验身份证件。</translation>
    </message>
    <message>
        <source>Not verified: no good frame was captured.</source>
        <translation>核验未通过：未采集到合格画面。</translation>
    </message>
    <message>
        <source>Face enrollment needs the date of birth (the rules for minors depend on it). Set a PIN instead, or add the date of birth first.</source>
        <translation>人脸登记需要出生日期（未成年人规则以此为准）。请改为设置 PIN 码，或先补充出生日期。</translation>
    </message>
    <message>
        <source>This member is {0}: this site does not enroll the faces of minors. Set a PIN instead.</source>
        <translation>该会员 {0} 岁：本场所不登记未成年人的人脸。请改为设置 PIN 码。</translation>
    </message>
    <message>
        <source>This member is {0}: a parent or guardian must read the notice and consent. Enter their name and relation.</source>
        <translation>该会员 {0} 岁：须由父母或其他监护人阅读告知书并同意。请填写其姓名及与未成年人的关系。</translation>
    </message>
    <message>
        <source>This member declined face use recently. Do not ask again before {0}; continue only if the person asks.</source>
        <translation>该会员近期拒绝使用人脸。{0} 之前请勿再次询问；仅在本人主动提出时继续。</translation>
    </message>
    <message>
        <source>The notice has changed since this member agreed: show it and ask again.</source>
        <translation>该会员同意后，告知书已更新：请出示告知书并重新征求同意。</translation>
    </message>
    <message>
        <source>Face consent is current.</source>
        <translation>人脸信息同意有效。</translation>
    </message>
    <message>
        <source>No face consent yet: show the notice and ask.</source>
        <translation>尚无人脸信息同意：请出示告知书并征求同意。</translation>
    </message>
    <message>
        <source>{0} people have face data stored: the filing threshold of {1} is reached. Tell the administrator: a filing is due.</source>
        <translation>已存储 {0} 人的人脸信息，已达到备案门槛（{1} 人）。请告知管理员：需要备案。</translation>
    </message>
    <message>
        <source>{0} people have face data stored, near the filing threshold of {1}.</source>
        <translation>已存储 {0} 人的人脸信息，接近备案门槛（{1} 人）。</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <source>A password needs at least {0} characters.</source>
        <translation>密码至少需要 {0} 个字符。</translation>
    </message>
    <message>
        <source>No member with the number {0}.</source>
        <translation>未找到会员编号为 {0} 的会员。</translation>
    </message>
    <message>
        <source>The camera could not be used. Nothing was stored; verify another way.</source>
        <translation>摄像头无法使用。未保存任何信息，请使用其他方式核验。</translation>
    </message>
    <message>
        <source>Cancelled by the operator; nothing was stored.</source>
        <translation>操作员已取消，未保存任何信息。</translation>
    </message>
    <message>
        <source>No camera is connected (webcam {0} not found).</source>
        <translation>未连接摄像头（未找到摄像头 {0}）。</translation>
    </message>
    <message>
        <source>The camera source {0} does not exist.</source>
        <translation>摄像头源 {0} 不存在。</translation>
    </message>
    <message>
        <source>The station could not do this. Call the administrator.</source>
        <translation>工作站无法完成此操作，请联系管理员。</translation>
    </message>
    <message>
        <source>member number</source>
        <translation>会员编号</translation>
    </message>
    <message>
        <source>card number</source>
        <translation>卡号</translation>
    </message>
    <message>
        <source>name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>guardian&apos;s name</source>
        <translation>监护人姓名</translation>
    </message>
    <message>
        <source>guardian&apos;s relation</source>
        <translation>监护人与未成年人的关系</translation>
    </message>
    <message>
        <source>operator name</source>
        <translation>操作员姓名</translation>
    </message>
    <message>
        <source>recipient</source>
        <translation>接收方</translation>
    </message>
    <message>
        <source>purpose of the transfer</source>
        <translation>对外提供的目的</translation>
    </message>
    <message>
        <source>likely impact</source>
        <translation>可能影响</translation>
    </message>
    <message>
        <source>security-assessment reference</source>
        <translation>安全评估编号</translation>
    </message>
    <message>
        <source>description</source>
        <translation>事件经过</translation>
    </message>
    <message>
        <source>data affected</source>
        <translation>涉及信息</translation>
    </message>
    <message>
        <source>cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>likely harm</source>
        <translation>可能危害</translation>
    </message>
    <message>
        <source>remedies</source>
        <translation>补救措施</translation>
    </message>
    <message>
        <source>advice</source>
        <translation>个人可采取的措施</translation>
    </message>
    <message>
        <source>Your account may not do this: the station refused it and noted the attempt. Ask an administrator.</source>
        <translation>您的账号无权执行此操作：工作站已拒绝并记录了此次尝试。请联系管理员。</translation>
    </message>
    <message>
        <source>No member with the number {member}.</source>
        <translation>没有会员编号为 {member} 的会员。</translation>
    </message>
    <message>
        <source>A member number and a name are both needed.</source>
        <translation>会员编号和姓名均为必填项。</translation>
    </message>
    <message>
        <source>Member number {member} is already registered.</source>
        <translation>会员编号 {member} 已登记。</translation>
    </message>
    <message>
        <source>Card {card} already belongs to another member.</source>
        <translation>卡号 {card} 已属于其他会员。</translation>
    </message>
    <message>
        <source>To erase, type the member number {member} again in the field. Nothing was erased.</source>
        <translation>如需清除，请在输入框中再次输入会员编号 {member}。未清除任何信息。</translation>
    </message>
    <message>
        <source>The notice shown is no longer the current one (now version {version}): show the current notice and ask again.</source>
        <translation>所出示的告知书已不是现行版本（现行版本为 {version}）：请出示现行告知书并重新征求同意。</translation>
    </message>
    <message>
        <source>This member declined face use recently: continue only if the person asks.</source>
        <translation>该会员近期拒绝了使用人脸：仅在本人主动要求时才可继续。</translation>
    </message>
    <message>
        <source>A parent or guardian must consent: enter their name and relation.</source>
        <translation>须经父母或其他监护人同意：请填写其姓名及与未成年人的关系。</translation>
    </message>
    <message>
        <source>Identification without a member number (1:N) is switched off at this station.</source>
        <translation>本工作站已关闭不凭会员编号的识别（1:N）。</translation>
    </message>
    <message>
        <source>The station&apos;s saved settings cannot be used. Call the administrator.</source>
        <translation>工作站已保存的设置无法使用，请联系管理员。</translation>
    </message>
    <message>
        <source>The settings file {file} would change the station&apos;s settings ({settings}): only an administrator can apply it. Sign in as one, or start without --settings.</source>
        <translation>设置文件 {file} 会更改工作站的设置（{settings}）：只有管理员可以应用它。请以管理员身份登录，或不带 --settings 启动。</translation>
    </message>
    <message>
        <source>These settings cannot be changed from the station: {settings}.</source>
        <translation>以下设置不能在工作站上更改：{settings}。</translation>
    </message>
    <message>
        <source>A value is outside what the rules allow: {problem}</source>
        <translation>有一项设置超出了规则允许的范围：{problem}</translation>
    </message>
    <message>
        <source>To decommission, type {phrase} exactly. Nothing was destroyed.</source>
        <translation>须准确输入 {phrase} 才能停用并销毁。未销毁任何数据。</translation>
    </message>
    <message>
        <source>An operator needs a name.</source>
        <translation>操作员须有姓名。</translation>
    </message>
    <message>
        <source>There is already an operator called {operator}.</source>
        <translation>已有名为 {operator} 的操作员。</translation>
    </message>
    <message>
        <source>There is no operator called {operator}.</source>
        <translation>没有名为 {operator} 的操作员。</translation>
    </message>
    <message>
        <source>You can only change your own password here.</source>
        <translation>此处只能修改您自己的密码。</translation>
    </message>
    <message>
        <source>You cannot remove your own account.</source>
        <translation>不能移除您自己的账号。</translation>
    </message>
    <message>
        <source>The last administrator cannot be removed.</source>
        <translation>不能移除最后一名管理员。</translation>
    </message>
    <message>
        <source>{operator} is not an administrator of this station. Nothing was changed.</source>
        <translation>{operator} 不是本工作站的管理员。未做任何更改。</translation>
    </message>
    <message>
        <source>Your password is not right: nothing was changed.</source>
        <translation>您的密码不正确：未做任何更改。</translation>
    </message>
    <message>
        <source>A password needs at least {minimum} characters.</source>
        <translation>密码至少需要 {minimum} 个字符。</translation>
    </message>
    <message>
        <source>The transfer was refused.</source>
        <translation>对外提供已被拒绝。</translation>
    </message>
    <message>
        <source>Member {member} has no transfer consent {consent}.</source>
        <translation>会员 {member} 没有编号为 {consent} 的对外提供同意。</translation>
    </message>
    <message>
        <source>That transfer consent was already withdrawn.</source>
        <translation>该对外提供同意已被撤回。</translation>
    </message>
    <message>
        <source>The export could not be written to {path} ({reason}). Nothing was exported.</source>
        <translation>无法将导出文件写入 {path}（{reason}）。未导出任何数据。</translation>
    </message>
    <message>
        <source>Name the members affected, or choose everyone with face data (not both).</source>
        <translation>请填写受影响的会员，或选择所有存有人脸信息的人员（二者选一）。</translation>
    </message>
    <message>
        <source>An incident is a leak, a destruction or a loss, not {kind}.</source>
        <translation>安全事件类型只能是泄露、毁损或丢失，不能是 {kind}。</translation>
    </message>
    <message>
        <source>An incident cannot be discovered before it happened.</source>
        <translation>安全事件的发现时间不能早于发生时间。</translation>
    </message>
    <message>
        <source>Fill in every part of the incident: each one goes into the people&apos;s notice.</source>
        <translation>请填写安全事件的每一项：每一项都会写入给相关人员的告知书。</translation>
    </message>
    <message>
        <source>There is no incident {reference}.</source>
        <translation>没有编号为 {reference} 的安全事件。</translation>
    </message>
    <message>
        <source>Several incidents start with {reference}: give more of the reference.</source>
        <translation>有多个安全事件的编号以 {reference} 开头：请输入更完整的编号。</translation>
    </message>
    <message>
        <source>There is no incident notice in {language}.</source>
        <translation>没有 {language} 语言的安全事件告知书。</translation>
    </message>
    <message>
        <source>Wrong operator name or password. Try again.</source>
        <translation>操作员姓名或密码错误，请重试。</translation>
    </message>
    <message>
        <source>The store file is damaged, so the station stopped using it: nothing more was changed. Call the administrator to restore it from a backup.</source>
        <translation>数据库文件已损坏，工作站已停止使用它，未再做任何更改。请联系管理员从备份恢复。</translation>
    </message>
    <message>
        <source>The first administrator needs a name.</source>
        <translation>首位管理员须有姓名。</translation>
    </message>
    <message>
        <source>The disk holding the station&apos;s data is full, so the last change was not saved. Everything saved before it is safe. Free some space, then try again.</source>
        <translation>存放工作站数据的磁盘已满，最近一次更改未能保存。此前保存的所有数据均安全。请腾出空间后重试。</translation>
    </message>
    <message>
        <source>The disk reported an error while saving (it may be full, disconnected or failing). The last change was not saved; everything saved before it is safe.</source>
        <translation>保存时磁盘报告错误（可能已满、已断开或出现故障）。最近一次更改未能保存；此前保存的所有数据均安全。</translation>
    </message>
    <message>
        <source>The station&apos;s data folder cannot be written to, so nothing was saved. Everything already stored is safe. Ask for the folder to be made writable.</source>
        <translation>工作站的数据文件夹无法写入，因此未保存任何内容。已存储的数据均安全。请联系相关人员将该文件夹设为可写。</translation>
    </message>
    <message>
        <source>The station cannot open its data file: the folder is missing, read-only or on a disk that is not connected. Nothing was changed.</source>
        <translation>工作站无法打开其数据文件：文件夹不存在、为只读，或位于未连接的磁盘上。未做任何更改。</translation>
    </message>
    <message>
        <source>A file with that name exists already: choose a new name for the backup.</source>
        <translation>已存在同名文件：请为备份另选文件名。</translation>
    </message>
    <message>
        <source>That folder does not exist (is the drive plugged in?); nothing was written.</source>
        <translation>该文件夹不存在（存储设备是否已插好？）；未写入任何内容。</translation>
    </message>
    <message>
        <source>The backup failed its own check and was not kept. Verify the audit trail and call for help.</source>
        <translation>备份未通过自检，未予保留。请校验审计日志并寻求技术支持。</translation>
    </message>
    <message>
        <source>There is no such backup file; nothing was changed.</source>
        <translation>备份文件不存在；未做任何更改。</translation>
    </message>
    <message>
        <source>That file is not a Face Station backup; nothing was changed.</source>
        <translation>该文件不是 Face Station 备份；未做任何更改。</translation>
    </message>
    <message>
        <source>The backup is damaged (incomplete, or changed since it was made); nothing was changed. Use another copy.</source>
        <translation>备份已损坏（不完整，或生成后被改动）；未做任何更改。请使用另一份备份。</translation>
    </message>
    <message>
        <source>The backup was made by a newer Face Station: update this station first. Nothing was changed.</source>
        <translation>该备份由较新版本的 Face Station 生成：请先升级本工作站。未做任何更改。</translation>
    </message>
    <message>
        <source>Face-data export is switched off at this station.</source>
        <translation>本工作站已关闭人脸信息导出。</translation>
    </message>
    <message>
        <source>Name the recipient.</source>
        <translation>请填写接收方名称。</translation>
    </message>
    <message>
        <source>Give the recipient&apos;s country as a two-letter code (CN for the mainland).</source>
        <translation>请以两位字母代码填写接收方所在国家/地区（中国大陆为 CN）。</translation>
    </message>
    <message>
        <source>State the purpose of the transfer.</source>
        <translation>请说明对外提供的目的。</translation>
    </message>
    <message>
        <source>Choose the data types to pass on.</source>
        <translation>请选择要提供的数据类型。</translation>
    </message>
    <message>
        <source>Choose data types from the list only.</source>
        <translation>只能从列表中选择数据类型。</translation>
    </message>
    <message>
        <source>A face-data transfer consent must include the face template.</source>
        <translation>人脸信息的对外提供同意必须包含人脸特征模板。</translation>
    </message>
    <message>
        <source>Describe the likely impact on the person.</source>
        <translation>请说明对个人权益的可能影响。</translation>
    </message>
    <message>
        <source>A recipient outside the mainland needs a security-assessment reference.</source>
        <translation>接收方位于中国大陆以外时，须填写安全评估编号。</translation>
    </message>
    <message>
        <source>This member has no active transfer consent for that recipient.</source>
        <translation>该会员对此接收方没有有效的对外提供同意。</translation>
    </message>
    <message>
        <source>This member has no face template to export.</source>
        <translation>该会员没有可导出的人脸特征模板。</translation>
    </message>
    <message>
        <source>This member&apos;s face-data consent is not current: ask again before any export.</source>
        <translation>该会员的人脸信息同意已不再有效：导出前须重新征得同意。</translation>
    </message>
    <message>
        <source>The passphrase needs at least {0} characters.</source>
        <translation>口令至少需要 {0} 个字符。</translation>
    </message>
    <message>
        <source>member erased (end of service)</source>
        <translation>会员信息已清除（服务终止）</translation>
    </message>
    <message>
        <source>PIN verification disabled (too many wrong PINs)</source>
        <translation>PIN 码核验已停用（错误次数过多）</translation>
    </message>
    <message>
        <source>PIN verification re-enabled</source>
        <translation>PIN 码核验已重新启用</translation>
    </message>
    <message>
        <source>Event {0} was edited.</source>
        <translation>第 {0} 条事件已被修改。</translation>
    </message>
    <message>
        <source>Events from {0} on are missing (deleted).</source>
        <translation>第 {0} 条及之后的事件缺失（已被删除）。</translation>
    </message>
    <message>
        <source>Event {0} does not follow the one before (moved or rewritten).</source>
        <translation>第 {0} 条事件与前一条不衔接（已被移动或改写）。</translation>
    </message>
    <message>
        <source>Event {0} is dated before the one before it (reordered).</source>
        <translation>第 {0} 条事件的时间早于前一条（顺序已被调换）。</translation>
    </message>
    <message>
        <source>The newest events from {0} on were deleted.</source>
        <translation>第 {0} 条及之后的最新事件已被删除。</translation>
    </message>
    <message>
        <source>Event {0} fails its keyed link: someone who could open the store rewrote the trail there.</source>
        <translation>第 {0} 条事件的密钥链接校验未通过：有能打开数据库的人在此处改写了审计日志。</translation>
    </message>
    <message>
        <source>Event {0} carries no keyed link, though it was written after links began: it was written around the station.</source>
        <translation>第 {0} 条事件写于启用密钥链接之后，却没有密钥链接：它是绕过本工作站写入的。</translation>
    </message>
    <message>
        <source>{0}: held. Event {1} is as it was when this code was noted.</source>
        <translation>{0}：未被改动。第 {1} 条事件与抄录此代码时一致。</translation>
    </message>
    <message>
        <source>{0}: rewritten since this code was noted. Event {1}, or one before it, has changed.</source>
        <translation>{0}：抄录此代码后已被改写。第 {1} 条事件或其之前的某条事件已被改动。</translation>
    </message>
    <message>
        <source>{0}: events deleted. The trail no longer reaches event {1}.</source>
        <translation>{0}：事件已被删除。审计日志已不再包含第 {1} 条事件。</translation>
    </message>
    <message>
        <source>{0}: not checkable any more. Event {1} was removed under the retention rule.</source>
        <translation>{0}：已无法校验。第 {1} 条事件已按保存期限规定删除。</translation>
    </message>
    <message>
        <source>The store file does not belong to its key file. Nothing was changed; call the administrator to restore the matching pair from a backup.</source>
        <translation>数据文件与其密钥文件不匹配。未做任何更改；请联系管理员从备份中恢复匹配的一对文件。</translation>
    </message>
    <message>
        <source>A PIN is {minimum} to {maximum} digits.</source>
        <translation>PIN 码须为 {minimum} 至 {maximum} 位数字。</translation>
    </message>
    <message>
        <source>A PIN of one digit repeated (like 000000) is too easy to guess: choose another.</source>
        <translation>PIN 码为同一数字重复（如 000000），太容易被猜中：请另选一个。</translation>
    </message>
    <message>
        <source>A PIN of digits in a row (like 123456 or 654321) is too easy to guess: choose another.</source>
        <translation>PIN 码为连续数字（如 123456 或 654321），太容易被猜中：请另选一个。</translation>
    </message>
    <message>
        <source>A PIN must not be the member&apos;s date of birth, which others may know: choose another.</source>
        <translation>PIN 码不能是会员的出生日期，他人可能知道：请另选一个。</translation>
    </message>
    <message>
        <source>The {field} is too long: at most {limit} characters.</source>
        <translation>{field}过长：最多 {limit} 个字符。</translation>
    </message>
    <message>
        <source>The {field} holds a control, invisible or text-direction character ({character}) that could hide or disguise it; type it again without it.</source>
        <translation>{field}中含有控制字符、不可见字符或文字方向字符（{character}），可能隐藏或伪装内容；请去掉该字符后重新输入。</translation>
    </message>
    <message>
        <source>A {field} may hold only Latin letters, digits and - _ . /, and must begin and end with a letter or digit.</source>
        <translation>{field}只能包含拉丁字母、数字和 - _ . /，且须以字母或数字开头和结尾。</translation>
    </message>
    <message>
        <source>A date of birth must lie between {earliest} and today ({latest}).</source>
        <translation>出生日期须在 {earliest} 至今天（{latest}）之间。</translation>
    </message>
    <message>
        <source>The store&apos;s key file is missing or damaged. Call the administrator.</source>
        <translation>数据库密钥文件缺失或损坏，请联系管理员。</translation>
    </message>
    <message>
        <source>Too many wrong passwords: wait {seconds} s, then try again.</source>
        <translation>密码错误次数过多：请等待 {seconds} 秒后再试。</translation>
    </message>
    <message>
        <source>Blink twice</source>
        <translation>请眨两次眼</translation>
    </message>
    <message>
        <source>{0} s left</source>
        <translation>还剩 {0} 秒</translation>
    </message>
    <message>
        <source>The store was written by a newer version of this program. Update it first.</source>
        <translation>该数据库由本程序的较新版本创建，请先升级本程序。</translation>
    </message>
    <message>
        <source>A station store already exists here; sign in to it instead.</source>
        <translation>此处已有工作站数据库，请直接登录。</translation>
    </message>
    <message>
        <source>The store file is missing. Call the administrator.</source>
        <translation>数据库文件缺失，请联系管理员。</translation>
    </message>
    <message>
        <source>member registered</source>
        <translation>会员已登记</translation>
    </message>
    <message>
        <source>face consent accepted</source>
        <translation>已同意人脸信息处理</translation>
    </message>
    <message>
        <source>face consent declined</source>
        <translation>已拒绝人脸信息处理</translation>
    </message>
    <message>
        <source>face consent withdrawn</source>
        <translation>已撤回人脸信息同意</translation>
    </message>
    <message>
        <source>face data deleted</source>
        <translation>人脸信息已删除</translation>
    </message>
    <message>
        <source>face enrolled</source>
        <translation>人脸已登记</translation>
    </message>
    <message>
        <source>face enrollment not completed</source>
        <translation>人脸登记未完成</translation>
    </message>
    <message>
        <source>PIN set</source>
        <translation>已设置 PIN 码</translation>
    </message>
    <message>
        <source>verification by face</source>
        <translation>人脸核验</translation>
    </message>
    <message>
        <source>verification by PIN</source>
        <translation>PIN 码核验</translation>
    </message>
    <message>
        <source>identity document checked</source>
        <translation>已核验身份证件</translation>
    </message>
    <message>
        <source>face verification disabled (too many failed attempts)</source>
        <translation>人脸核验已停用（失败次数过多）</translation>
    </message>
    <message>
        <source>face verification re-enabled</source>
        <translation>人脸核验已重新启用</translation>
    </message>
    <message>
        <source>notice published</source>
        <translation>告知书已发布</translation>
    </message>
    <message>
        <source>settings changed</source>
        <translation>设置已更改</translation>
    </message>
    <message>
        <source>signed in</source>
        <translation>已登录</translation>
    </message>
    <message>
        <source>failed sign-in</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <source>refused: not allowed for this account</source>
        <translation>已拒绝：该账号无此权限</translation>
    </message>
    <message>
        <source>face template destroyed (retention over)</source>
        <translation>人脸特征模板已销毁（保存期限届满）</translation>
    </message>
    <message>
        <source>old records pruned</source>
        <translation>已清理过期记录</translation>
    </message>
    <message>
        <source>audit trail verified</source>
        <translation>审计日志已校验</translation>
    </message>
    <message>
        <source>operator account added</source>
        <translation>已添加操作员账号</translation>
    </message>
    <message>
        <source>operator account removed</source>
        <translation>已移除操作员账号</translation>
    </message>
    <message>
        <source>password changed</source>
        <translation>密码已修改</translation>
    </message>
    <message>
        <source>password reset</source>
        <translation>密码已重置</translation>
    </message>
    <message>
        <source>recovery key replaced</source>
        <translation>恢复密钥已更换</translation>
    </message>
    <message>
        <source>station backed up</source>
        <translation>工作站已备份</translation>
    </message>
    <message>
        <source>station restored from a backup</source>
        <translation>工作站已从备份恢复</translation>
    </message>
    <message>
        <source>transfer consent recorded</source>
        <translation>已记录对外提供同意</translation>
    </message>
    <message>
        <source>transfer consent withdrawn</source>
        <translation>已撤回对外提供同意</translation>
    </message>
    <message>
        <source>face data exported</source>
        <translation>人脸信息已导出</translation>
    </message>
    <message>
        <source>incident recorded</source>
        <translation>安全事件已记录</translation>
    </message>
    <message>
        <source>incident notices produced</source>
        <translation>已生成安全事件告知书</translation>
    </message>
    <message>
        <source>report generated</source>
        <translation>报告已生成</translation>
    </message>
</context>
</TS>
