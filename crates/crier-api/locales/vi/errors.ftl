# crier error messages (Vietnamese). Keep ids and variables in sync with en/errors.ftl.

err-102 = Khóa API của bạn bị thiếu hoặc không hợp lệ. Vui lòng gửi khóa theo dạng "Authorization: Bearer <API key>".
err-107 = Facebook đã từ chối bài đăng. Vui lòng xem phần chi tiết để biết lý do từ Facebook.
err-110 = X đã từ chối bài đăng vì bài này trùng với một bài đăng gần đây.
err-111 = Tài khoản X này không thể đăng bài dài. Vui lòng rút ngắn văn bản xuống 280 ký tự hoặc bật tính năng bài đăng dài cho tài khoản.
err-132 = Văn bản quá dài đối với { $network }: giới hạn là { $limit } ký tự và văn bản đang vượt quá { $overage } ký tự.
err-136 = Một URL phương tiện không hợp lệ đối với { $network }. URL phương tiện phải là địa chỉ https đầy đủ.
err-137 = Nội dung văn bản giống hệt đã được đăng lên { $network } trong 48 giờ qua.
err-138 = Instagram không thể đăng bài. Vui lòng xem phần chi tiết để biết lý do từ Instagram.
err-156 = { $network } chưa được liên kết với hồ sơ này. Vui lòng liên kết tài khoản rồi đăng lại.
err-161 = Quyền ủy quyền Facebook không còn hợp lệ (ví dụ: mật khẩu đã thay đổi hoặc quyền truy cập đã bị thu hồi). Vui lòng liên kết lại Facebook.
err-182 = Phương tiện không đáp ứng quy định của { $network } (số lượng, kích thước, tỷ lệ khung hình hoặc thời lượng).
err-186 = Không tìm thấy bài đăng nào có ID này cho hồ sơ này.
err-272 = X không thể xác minh tài khoản gắn với khóa của bạn: tài khoản có thể đã bị tạm ngưng hoặc bị khóa, hoặc khóa của bạn thuộc về một ứng dụng X khác với ứng dụng của tài khoản đã liên kết. Vui lòng kiểm tra tài khoản trên x.com.
err-379 = Threads không thể đăng bài. Vui lòng kiểm tra để đảm bảo Meta có thể tải xuống phương tiện.
err-416 = Tài khoản nhà phát triển X của bạn đã hết tín dụng API. Vui lòng nạp thêm tín dụng rồi thử lại.
err-418 = Mã truy cập X của bạn chỉ có quyền đọc. Vui lòng cấp quyền đọc và ghi cho ứng dụng X của bạn, sau đó tạo mã truy cập mới.
err-419 = { $count ->
        [one] Để đăng lên X, bạn cần dùng khóa API của riêng mình: thiếu tiêu đề HTTP { $missing }.
       *[other] Để đăng lên X, bạn cần dùng khóa API của riêng mình: thiếu các tiêu đề HTTP { $missing }.
    }
err-435 = { $cause ->
    [meta] Meta đang giới hạn việc đăng bài Instagram của tài khoản này (HTTP 429). Vui lòng chờ trước khi đăng lại; số giây Meta yêu cầu nằm trong details.
    [velocity] Instagram đã chặn bài đăng vì tài khoản đăng bài quá nhanh. Vui lòng chờ trước khi đăng lại.
    [daily] Đã đạt giới hạn đăng bài Instagram hằng ngày mà Meta đặt cho tài khoản này. Vui lòng chờ trước khi đăng lại.
    [limit] Đã đạt giới hạn { $limit } bài đăng Instagram mỗi 24 giờ. Vui lòng chờ trước khi đăng lại; số giây đến khi có chỗ trống nằm trong details.
   *[other] Đã đạt đến giới hạn đăng bài của Instagram. Vui lòng chờ một lúc trước khi đăng lại.
}
err-436 = Instagram mất quá nhiều thời gian để xử lý phương tiện. Bạn có thể thử đăng lại.
err-440 = { $network } không thể tải xuống phương tiện từ URL. Vui lòng đảm bảo địa chỉ ở chế độ công khai và không chặn trình thu thập dữ liệu.
err-441 = Không thể cải thiện văn bản (ví dụ: rút gọn liên kết) cho { $network }, nên không có gì được gửi tới { $network }.
err-444 = Facebook đang giới hạn các yêu cầu số liệu phân tích cho Trang này. Việc đăng bài vẫn hoạt động bình thường; vui lòng thử xem lại số liệu phân tích sau.
err-447 = Thước phim thử nghiệm cần có chiến lược chuyển chính thức: hãy đặt graduationStrategy thành MANUAL hoặc SS_PERFORMANCE.
err-448 = Chiến lược chuyển chính thức của thước phim thử nghiệm không hợp lệ: hãy dùng chính xác MANUAL hoặc SS_PERFORMANCE.
err-449 = Không thể dùng phương tiện này cho thước phim thử nghiệm: phải là một video .mp4 hoặc .mov duy nhất, không phải bài quay vòng hay tin.
err-450 = Không thể chuyển đổi hình ảnh sang JPEG cho { $network }. Vui lòng xuất lại dưới dạng JPEG hoặc PNG rồi thử lại.
err-451 = Không thể tải xuống hình ảnh để chuyển đổi. Vui lòng đảm bảo địa chỉ ở chế độ công khai và có thể truy cập được.
err-452 = Không thể lưu tạm hình ảnh đã chuyển đổi. Đây là sự cố tạm thời; bạn có thể thử đăng lại.
err-453 = Quá trình tải lên YouTube đã hết thời gian chờ. Sự cố này thường chỉ là tạm thời; bạn có thể thử đăng lại.
err-454 = Dịch vụ tải lên của YouTube tạm thời không khả dụng. Bạn có thể thử đăng lại.
err-900 = Yêu cầu không đúng định dạng: phần nội dung không phải JSON hợp lệ hoặc một trường có kiểu dữ liệu sai.
err-901 = Thiếu một trường bắt buộc: { $field }.
err-902 = Danh sách mạng trống hoặc có chứa mạng không được hỗ trợ.
err-903 = Quá nhiều yêu cầu. Vui lòng chờ một lát rồi thử lại.
err-904 = Khóa hồ sơ này không thuộc tài khoản của bạn.
err-905 = Không rõ { $network } đã đăng bài hay chưa. Vui lòng kiểm tra tài khoản trước khi đăng lại để tránh bài bị đăng hai lần.
err-906 = Không thể thử lại bài đăng này: bài không có lỗi nào có thể thử lại, hoặc đã được thử lại rồi.
err-907 = Khóa chống trùng lặp (idempotency key) này đã được dùng cho một yêu cầu khác.
err-908 = Quyền ủy quyền { $network } đã hết hạn hoặc đã bị thu hồi. Vui lòng liên kết lại tài khoản.
err-909 = { $network } hiện đang giới hạn yêu cầu. Vui lòng chờ một lúc trước khi đăng lại.
err-910 = { $network } tạm thời không khả dụng. Bạn có thể thử đăng lại.
err-911 = Đã xảy ra lỗi nội bộ. Vui lòng thử lại sau.
err-912 = Điểm cuối này không tồn tại.
err-913 = Đã tồn tại một hồ sơ có tiêu đề này.
err-914 = Không tìm thấy hồ sơ nào có khóa này.
err-915 = { $network } đã từ chối bài đăng. Vui lòng xem phần chi tiết để biết lý do.
err-916 = Ngày lên lịch không hợp lệ. Vui lòng dùng ngày theo định dạng ISO 8601, ví dụ 2026-07-08T12:30:00Z.
err-917 = { $network } không cho phép xóa bài đã đăng thông qua API của mình.
err-918 = Bài đăng đã bị xóa trước khi được gửi đến { $network }; không có nội dung nào được đăng.
err-919 = Không tìm thấy liên kết rút gọn nào có mã này.
err-920 = crier chưa cung cấp điểm truy cập này.
err-921 = Bài đăng này không thể thay đổi nữa: chỉ có thể cập nhật bài đăng đã lên lịch mà chưa được gửi.
err-922 = Không tìm thấy tệp phương tiện nào có mã này, hoặc tệp đã hết hạn.
err-923 = { $network } chỉ cho phép { $limit } bài đăng mỗi ngày cho tài khoản này và đã đạt đến giới hạn đó. Vui lòng chờ một lúc trước khi đăng lại.
err-924 = Điểm cuối này không chấp nhận phương thức HTTP này. Tiêu đề Allow liệt kê các phương thức được chấp nhận.
