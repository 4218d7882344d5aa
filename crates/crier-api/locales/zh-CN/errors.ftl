# crier error messages (Simplified Chinese). Keep ids and variables in sync with en/errors.ftl.

err-102 = 您的 API 密钥缺失或无效。请以“Authorization: Bearer <API key>”的形式发送。
err-107 = Facebook 拒绝了该帖子。请查看详情，了解 Facebook 给出的原因。
err-110 = X 拒绝了该帖子，因为它与最近发布的一条帖子重复。
err-111 = 此 X 账号无法发布长帖。请将文本缩短至 280 个字符以内，或为该账号启用长帖功能。
err-132 = 文本超出了 { $network } 的长度限制：上限为 { $limit } 个字符，当前超出 { $overage } 个字符。
err-136 = 某个媒体 URL 对 { $network } 无效。媒体 URL 必须是完整的 https 地址。
err-137 = 过去 48 小时内已在 { $network } 上发布过相同的文本。
err-138 = Instagram 无法发布该帖子。请查看详情，了解 Instagram 给出的原因。
err-156 = 此个人资料尚未关联 { $network }。请先关联该账号，然后重新发布。
err-161 = Facebook 授权已失效（例如密码已更改或访问权限已被移除）。请重新关联 Facebook。
err-182 = 媒体不符合 { $network } 的规则（数量、大小、宽高比或时长）。
err-186 = 未在此个人资料中找到具有此 ID 的帖子。
err-272 = X 无法验证您的密钥所对应的账号：该账号可能已被封禁或锁定，或者您的密钥属于与已关联账号不同的 X 应用。请在 x.com 上检查该账号。
err-379 = Threads 无法发布该帖子。请确认 Meta 能够下载相关媒体。
err-416 = 您的 X 开发者账号已没有剩余的 API 额度。请添加额度后重试。
err-418 = 您的 X 访问令牌仅有只读权限。请为您的 X 应用授予读写权限，并创建新的访问令牌。
err-419 = { $count ->
        [one] 在 X 上发帖需要使用您自己的 API 密钥：缺少请求头 { $missing }。
       *[other] 在 X 上发帖需要使用您自己的 API 密钥：缺少请求头 { $missing }。
    }
err-435 = { $cause ->
    [meta] Meta 正在限制此账号在 Instagram 上的发布（HTTP 429）。请稍候再发布；Meta 要求等待的秒数见 details。
    [velocity] 此账号发布过快，Instagram 拦截了这条帖子。请稍候再发布。
    [daily] 已达到 Meta 为此账号设定的 Instagram 每日发布上限。请稍候再发布。
    [limit] 已达到 Instagram 每 24 小时 { $limit } 条帖子的发布上限。请稍候再发布；距有空位的秒数见 details。
   *[other] 已达到 Instagram 的发布上限。请稍候再发布。
}
err-436 = Instagram 处理媒体的时间过长。您可以重试发布该帖子。
err-440 = { $network } 无法从媒体 URL 下载媒体。请确保该地址可公开访问，且未屏蔽爬虫。
err-441 = 为 { $network } 优化文本（例如缩短链接）失败，因此没有向 { $network } 发送任何内容。
err-444 = Facebook 正在限制此公共主页的数据分析请求。发布功能仍可正常使用；请稍后再查看数据分析。
err-447 = 试播 Reel 需要设置转正策略：请将 graduationStrategy 设置为 MANUAL 或 SS_PERFORMANCE。
err-448 = 试播 Reel 的转正策略无效：请准确使用 MANUAL 或 SS_PERFORMANCE。
err-449 = 该媒体无法用于试播 Reel：必须是单个 .mp4 或 .mov 视频，而不能是轮播帖或快拍。
err-450 = 无法为 { $network } 将图片转换为 JPEG。请将其重新导出为 JPEG 或 PNG 后重试。
err-451 = 无法下载用于转换的图片。请确保该地址可公开访问且能够连接。
err-452 = 无法临时存储转换后的图片。这是暂时性问题，您可以重试发布该帖子。
err-453 = YouTube 上传超时。这通常是暂时性问题，您可以重试发布该帖子。
err-454 = YouTube 上传服务暂时不可用。您可以重试发布该帖子。
err-900 = 请求格式错误：请求正文不是有效的 JSON，或某个字段的类型不正确。
err-901 = 缺少必填字段：{ $field }。
err-902 = 平台列表为空，或包含不受支持的平台。
err-903 = 请求过于频繁。请稍候片刻再试。
err-904 = 此个人资料密钥不属于您的账号。
err-905 = 无法确定 { $network } 是否已发布该帖子。请在重新发布前检查该账号，以免重复发布。
err-906 = 此帖子无法重试：它没有可重试的失败，或者已经重试过。
err-907 = 此幂等键已被用于另一个请求。
err-908 = { $network } 授权已过期或已被撤销。请重新关联该账号。
err-909 = { $network } 目前正在限制请求。请稍候再发布。
err-910 = { $network } 暂时不可用。您可以重试发布该帖子。
err-911 = 发生内部错误。请稍后再试。
err-912 = 此接口不存在。
err-913 = 已存在使用此标题的个人资料。
err-914 = 未找到使用此密钥的个人资料。
err-915 = { $network } 拒绝了该帖子。请查看详情了解原因。
err-916 = 定时发布日期无效。请使用 ISO 8601 格式的日期，例如 2026-07-08T12:30:00Z。
err-917 = { $network } 不允许通过其 API 删除已发布的帖子。
err-918 = 帖子在发送到 { $network } 之前已被删除；未发布任何内容。
err-919 = 未找到此 ID 的短链接。
err-920 = crier 尚未提供此接口。
err-921 = 此帖子已无法修改：只能更新尚未发送的定时帖子。
err-922 = 未找到此 ID 的媒体，或其已过期。
err-923 = { $network } 每天只允许此账号发布 { $limit } 条帖子，已达到该上限。请稍候再发布。
err-924 = 此接口不接受该 HTTP 方法。Allow 响应头列出了它接受的方法。
