<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!--
  Qt's own texts that the qtbase_zh_CN catalogue PySide6 ships lacks (Qt 6 asks for
  "&Look in:" and "Files of &type:" while the catalogue has them without the mnemonic, and it
  has no QAbstractFileIconProvider context at all).  Written by hand, not by lupdate: the
  sources are Qt's.  app.install_translators installs it after qtbase_zh_CN, so a text here
  also replaces Qt's (QFileSystemModel "Size": 大小 as in Windows Explorer, not 体积).
  tests/informant_app/ui/common/test_file_dialogs.py shows a file dialog in Chinese and fails
  on any English word left.
-->
<TS version="2.1" language="zh_CN">
    <context>
        <name>QFileDialog</name>
        <message>
            <source>&amp;Look in:</source>
            <translation>查找范围(&amp;L)：</translation>
        </message>
        <message>
            <source>Files of &amp;type:</source>
            <translation>文件类型(&amp;T)：</translation>
        </message>
    </context>
    <context>
        <name>QAbstractFileIconProvider</name>
        <message>
            <source>Drive</source>
            <translation>驱动器</translation>
        </message>
        <message>
            <source>File</source>
            <translation>文件</translation>
        </message>
        <message>
            <source>Folder</source>
            <comment>All other platforms</comment>
            <translation>文件夹</translation>
        </message>
        <message>
            <source>File Folder</source>
            <comment>Match Windows Explorer</comment>
            <translation>文件夹</translation>
        </message>
        <message>
            <source>Alias</source>
            <comment>macOS Finder</comment>
            <translation>替身</translation>
        </message>
        <message>
            <source>Shortcut</source>
            <comment>All other platforms</comment>
            <translation>快捷方式</translation>
        </message>
        <message>
            <source>Unknown</source>
            <translation>未知</translation>
        </message>
    </context>
    <context>
        <name>QFileSystemModel</name>
        <message>
            <source>Size</source>
            <translation>大小</translation>
        </message>
    </context>
</TS>
