"""Errors raised while turning files into articles."""


class ArticleError(Exception):
    """A file that cannot be read as an article; carries the path and a short reason."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


# The reasons a file is skipped, in Chinese for pages (the English reason is the key: its
# text up to the first parenthesis or colon, as ``reindex`` groups them).
_CHINESE = {
    "binary file": "二进制文件，不是文本",
    "empty file": "空文件",
    "no text": "文件中没有文字",
    "no rows": "表格中没有数据行",
    "file too large": "文件过大",
    "cannot read file": "无法读取文件",
    "cannot decode text": "无法识别文字编码",
    "unsupported file type": "不支持的文件类型",
    "encrypted PDF": "PDF 已加密，需要密码",
    "damaged or truncated PDF": "PDF 已损坏或不完整",
    "damaged or truncated file": "文件已损坏或不完整",
    "damaged file or not a Word document": "文件已损坏，或不是 Word 文档",
    "damaged Word file": "Word 文件已损坏",
    "damaged or unreadable OFD": "OFD 文件已损坏或无法读取",
    "damaged or unreadable workbook": "表格文件已损坏或无法读取",
    "workbook too large": "表格过大",
    "zip bomb": "压缩炸弹：解压后过大",
    "too many pages": "页数过多",
    "PDF without pages": "PDF 没有页面",
    "scanned PDF without a text layer": "扫描件，没有文字层（用 reindex --ocr 识别）",
    "conversion took longer than": "转换超时",
    "OCR of a page took longer than": "OCR 识别超时",
    "used more than": "转换占用内存过多",
    "converter killed": "转换程序被终止（内存不足？）",
    "converter crashed": "转换程序崩溃",
    "converter exited with status": "转换程序异常退出",
    "converter error": "转换出错",
    "cannot run": "无法运行转换程序",
    "tesseract failed": "OCR（Tesseract）失败",
    "LibreOffice could not read the file": "LibreOffice 无法读取该文件",
    "cannot read this kind of file": "无法读取此类文件（未安装 LibreOffice）",
    "malformed CSV": "CSV 格式错误",
    "invalid JSON": "JSON 格式错误",
    "no article columns": "没有文章列（需要标题或正文列）",
    "JSON is neither an object nor a list of objects": "JSON 既不是对象也不是对象列表",
    "document nested too deeply to parse": "文档嵌套过深，无法解析",
    "front matter is not valid YAML": "文首元数据（YAML）格式错误，且没有正文",
    "cannot list folder": "无法列出文件夹",
    "unexpected error": "意外错误",
}


def chinese_reason(reason: str) -> str:
    """The Chinese for a skip reason (the English one is kept beside it on pages)."""
    for key in sorted(_CHINESE, key=len, reverse=True):
        if reason.startswith(key):
            return _CHINESE[key]
    return "无法读取"
