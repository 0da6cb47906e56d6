<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
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
        <source>Verification result</source>
        <translation>核验结果</translation>
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
        <source>Starting the camera…</source>
        <translation>正在启动摄像头…</translation>
    </message>
    <message>
        <source>Hold still…</source>
        <translation>请保持不动…</translation>
    </message>
    <message>
        <source>Frame {0} of {1}</source>
        <translation>第 {0} 帧，共 {1} 帧</translation>
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
        <source>New PIN</source>
        <translation>新 PIN 码</translation>
    </message>
    <message>
        <source>New PIN again</source>
        <translation>再次输入新 PIN 码</translation>
    </message>
    <message>
        <source>Save PIN</source>
        <translation>保存 PIN 码</translation>
    </message>
    <message>
        <source>New PIN (4 to 12 digits)</source>
        <translation>新 PIN 码（4 至 12 位数字）</translation>
    </message>
    <message>
        <source>Enrollment result</source>
        <translation>登记结果</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
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
        <source>Card {0} already belongs to another member.</source>
        <translation>卡号 {0} 已属于其他会员。</translation>
    </message>
    <message>
        <source>Member number {0} is already registered.</source>
        <translation>会员编号 {0} 已登记。</translation>
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
        <source>A PIN is 4 to 12 digits.</source>
        <translation>PIN 码须为 4 至 12 位数字。</translation>
    </message>
    <message>
        <source>PIN saved. No face data was captured or stored.</source>
        <translation>PIN 码已保存。未采集、未存储任何人脸信息。</translation>
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
        <source>Find a member</source>
        <translation>查找会员</translation>
    </message>
    <message>
        <source>No member found.</source>
        <translation>未找到会员。</translation>
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
        <source>{0} Face actions are off; verify another way.</source>
        <translation>{0} 人脸功能已停用，请使用其他方式核验。</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>就绪。</translation>
    </message>
    <message>
        <source>Loading the face models…</source>
        <translation>正在加载人脸模型…</translation>
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
        <source>Enter the operator name and the password.</source>
        <translation>请输入操作员姓名和密码。</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <source>Opening the store…</source>
        <translation>正在打开数据库…</translation>
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
        <source>Print receipt</source>
        <translation>打印回执</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
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
        <source>Verification result</source>
        <translation>核验结果</translation>
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
        <source>Stopped at the time limit with {0} of {1} good frames. Nothing was stored.</source>
        <translation>已到时间上限，仅获得 {0}/{1} 帧合格画面。未保存任何数据。</translation>
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
        <source>This member has no PIN set: check an identity document instead.</source>
        <translation>该会员未设置 PIN 码：请改为核验身份证件。</translation>
    </message>
    <message>
        <source>Not verified: no good frame was captured.</source>
        <translation>核验未通过：未采集到合格画面。</translation>
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
        <source>Wrong store password. Try again.</source>
        <translation>数据库密码错误，请重试。</translation>
    </message>
    <message>
        <source>The store&apos;s key file is missing or damaged. Call the administrator.</source>
        <translation>数据库密钥文件缺失或损坏，请联系管理员。</translation>
    </message>
    <message>
        <source>The store file is damaged and cannot be opened. Call the administrator.</source>
        <translation>数据库文件已损坏，无法打开，请联系管理员。</translation>
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
        <source>The store cannot be opened. Call the administrator.</source>
        <translation>无法打开数据库，请联系管理员。</translation>
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
</context>
</TS>
