<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>About</name>
    <message>
        <source>About AIGC Desktop</source>
        <translation>关于 AIGC Desktop</translation>
    </message>
    <message>
        <source>AIGC Desktop {version}</source>
        <translation>AIGC Desktop {version}</translation>
    </message>
    <message>
        <source>Write, paint and record with local generative models, offline. Licence: Apache-2.0.</source>
        <translation>用本地生成模型写作、绘画和录音，完全离线。许可证：Apache-2.0。</translation>
    </message>
    <message>
        <source>Licences of the components it installs:</source>
        <translation>所安装组件的许可证：</translation>
    </message>
    <message>
        <source>Repair installation</source>
        <translation>修复安装</translation>
    </message>
    <message>
        <source>AIGC Desktop will close, then the setup window checks this computer and rebuilds its components. Your projects and models are kept.</source>
        <translation>AIGC Desktop 将关闭，随后安装窗口会检查这台电脑并重新安装组件。你的项目和模型都会保留。</translation>
    </message>
    <message>
        <source>Uninstall AIGC Desktop</source>
        <translation>卸载 AIGC Desktop</translation>
    </message>
    <message>
        <source>Also delete the downloaded models in {folder}? Your projects are kept either way.</source>
        <translation>同时删除 {folder} 中已下载的模型吗？无论如何，你的项目都会保留。</translation>
    </message>
</context>
<context>
    <name>ActionsTab</name>
    <message>
        <source>“{action}” runs on {model}, the model chosen above.</source>
        <translation>“{action}”使用 {model}（上方选定的模型）。</translation>
    </message>
    <message>
        <source>“{action}” runs on {model}, the Document’s model.</source>
        <translation>“{action}”使用文档的模型 {model}。</translation>
    </message>
    <message>
        <source>“{action}” needs instructions, so it runs on {model}, the largest instruction-tuned model installed (the Document’s model only continues text).</source>
        <translation>“{action}”需要听懂指令，所以使用本机最大的指令模型 {model}（文档的模型只会接着文字往下写）。</translation>
    </message>
    <message>
        <source>No text model is installed.</source>
        <translation>没有安装文本模型。</translation>
    </message>
    <message>
        <source>Automatic: the actions that need instructions run on an instruction-tuned model, the others on the Document’s model</source>
        <translation>自动：需要指令的写作功能使用指令模型，其他写作功能使用文档的模型</translation>
    </message>
    <message>
        <source>Model for actions</source>
        <translation>写作功能使用的模型</translation>
    </message>
    <message>
        <source>The prompt this action sends: {text} is the selected text (or the whole document)</source>
        <translation>这个写作功能发送的提示词：{text} 代表选中的文字（没有选中时是整篇文档）</translation>
    </message>
    <message>
        <source>e.g. 山水, travel, science fiction</source>
        <translation>例如：山水，旅行，科幻</translation>
    </message>
    <message>
        <source>Run action</source>
        <translation>运行写作功能</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>写作功能</translation>
    </message>
    <message>
        <source>Prompt template</source>
        <translation>提示词模板</translation>
    </message>
    <message>
        <source>My interests (for brainstorming)</source>
        <translation>我的兴趣（用于根据兴趣写作）</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>instruction-tuned</source>
        <translation>指令模型</translation>
    </message>
    <message>
        <source>base model</source>
        <translation>基础模型</translation>
    </message>
    <message>
        <source>{model} writes English: its answers to Chinese text come in English. For Chinese answers, install a multilingual instruction-tuned model (Models window); Automatic then uses it.</source>
        <translation>{model} 只会写英文：对中文文字的回答会是英文。要得到中文回答，请在“模型”窗口安装一个多语言的指令模型，“自动”会改用它。</translation>
    </message>
    <message>
        <source>{model} was trained on English: its answers to Chinese text may be weak.</source>
        <translation>{model} 主要用英文训练，处理中文文字时效果可能较差。</translation>
    </message>
    <message>
        <source>Uses a Chinese instruction prompt: the text is Chinese. Edit it below if you like.</source>
        <translation>文字是中文，所以使用中文指令提示词。可以在下方修改。</translation>
    </message>
    <message>
        <source>Uses a Chinese completion prompt (base model): the text is Chinese. Edit it below if you like.</source>
        <translation>文字是中文，所以使用中文续写提示词（基础模型）。可以在下方修改。</translation>
    </message>
    <message>
        <source>Uses an instruction prompt. Edit it below if you like.</source>
        <translation>使用指令提示词。可以在下方修改。</translation>
    </message>
    <message>
        <source>Uses a completion prompt (base model). Edit it below if you like.</source>
        <translation>使用续写提示词（基础模型）。可以在下方修改。</translation>
    </message>
</context>
<context>
    <name>AiTextEdit</name>
    <message>
        <source>Written by AI</source>
        <translation>AI 生成</translation>
    </message>
</context>
<context>
    <name>AudioCommands</name>
    <message>
        <source>Trim {name}</source>
        <translation>裁剪“{name}”</translation>
    </message>
    <message>
        <source>Fade in {name}</source>
        <translation>淡入“{name}”</translation>
    </message>
    <message>
        <source>Fade out {name}</source>
        <translation>淡出“{name}”</translation>
    </message>
    <message>
        <source>Gain {name}</source>
        <translation>调整“{name}”的增益</translation>
    </message>
    <message>
        <source>Normalise {name}</source>
        <translation>音量标准化“{name}”</translation>
    </message>
    <message>
        <source>Add clip {name}</source>
        <translation>添加片段“{name}”</translation>
    </message>
    <message>
        <source>Delete clip {name}</source>
        <translation>删除片段“{name}”</translation>
    </message>
    <message>
        <source>Rename clip {name}</source>
        <translation>重命名片段“{name}”</translation>
    </message>
</context>
<context>
    <name>AudioEdit</name>
    <message>
        <source>Audio must be mono (frames,) or (frames, channels) samples.</source>
        <translation>音频必须是单声道 (frames,) 或 (frames, channels) 形状的采样。</translation>
    </message>
    <message>
        <source>Audio samples must be floating point (-1.0 … 1.0).</source>
        <translation>音频采样必须是浮点数（-1.0 … 1.0）。</translation>
    </message>
    <message>
        <source>The sample rate must be a positive whole number of Hz, not {rate}.</source>
        <translation>采样率必须是以 Hz 为单位的正整数，不能是 {rate}。</translation>
    </message>
    <message>
        <source>{what} must be a finite number.</source>
        <translation>{what}必须是有限的数值。</translation>
    </message>
    <message>
        <source>The trim start</source>
        <translation>裁剪起点</translation>
    </message>
    <message>
        <source>The trim end</source>
        <translation>裁剪终点</translation>
    </message>
    <message>
        <source>The trim range {start}–{end} s must lie inside the clip (0–{length} s) and not be empty.</source>
        <translation>裁剪范围 {start}–{end} 秒必须位于片段之内（0–{length} 秒），且不能为空。</translation>
    </message>
    <message>
        <source>The trim range {start}–{end} s is shorter than one sample.</source>
        <translation>裁剪范围 {start}–{end} 秒比一个采样还短。</translation>
    </message>
    <message>
        <source>The fade-in</source>
        <translation>淡入时长</translation>
    </message>
    <message>
        <source>The fade-out</source>
        <translation>淡出时长</translation>
    </message>
    <message>
        <source>Fade lengths must not be negative.</source>
        <translation>淡入淡出的时长不能为负数。</translation>
    </message>
    <message>
        <source>The fades ({fade_in} s in + {fade_out} s out) are longer than the clip ({length} s).</source>
        <translation>淡入淡出（淡入 {fade_in} 秒 + 淡出 {fade_out} 秒）比片段本身（{length} 秒）还长。</translation>
    </message>
    <message>
        <source>The gain</source>
        <translation>增益</translation>
    </message>
    <message>
        <source>A gain of {gain} dB is outside -96 … +96 dB.</source>
        <translation>{gain} dB 的增益超出了 -96 … +96 dB 的范围。</translation>
    </message>
    <message>
        <source>The peak level</source>
        <translation>峰值电平</translation>
    </message>
    <message>
        <source>The peak level must be between -60 and 0 dBFS, not {level}.</source>
        <translation>峰值电平必须在 -60 到 0 dBFS 之间，不能是 {level}。</translation>
    </message>
    <message>
        <source>Audio can be saved as WAV or FLAC, not &apos;{format}&apos;.</source>
        <translation>音频只能保存为 WAV 或 FLAC，不能保存为“{format}”。</translation>
    </message>
    <message>
        <source>{path}: give the file a .wav or .flac extension.</source>
        <translation>{path}：请使用 .wav 或 .flac 扩展名。</translation>
    </message>
    <message>
        <source>{format} files cannot hold a &apos;{tag}&apos; tag (they hold: {tags}).</source>
        <translation>{format} 文件不能保存“{tag}”标签（可以保存：{tags}）。</translation>
    </message>
    <message>
        <source>{path} is a folder; give a file name.</source>
        <translation>{path} 是一个文件夹，请给出文件名。</translation>
    </message>
    <message>
        <source>Cannot save to {path}: the folder {folder} does not exist.</source>
        <translation>无法保存到 {path}：文件夹 {folder} 不存在。</translation>
    </message>
    <message>
        <source>Cannot save to {path}: {reason}.</source>
        <translation>无法保存到 {path}：{reason}。</translation>
    </message>
    <message>
        <source>The clip is empty: there is nothing to save.</source>
        <translation>片段是空的：没有可保存的内容。</translation>
    </message>
    <message>
        <source>Could not save {path}: {reason}</source>
        <translation>无法保存 {path}：{reason}</translation>
    </message>
    <message>
        <source>There is no audio file at {path}.</source>
        <translation>{path} 处没有音频文件。</translation>
    </message>
    <message>
        <source>{path} is not an audio file this app can read: {reason}</source>
        <translation>{path} 不是本应用能读取的音频文件：{reason}</translation>
    </message>
</context>
<context>
    <name>AudioJob</name>
    <message>
        <source>Bad audio parameters: {reason}</source>
        <translation>音频参数有误：{reason}</translation>
    </message>
    <message>
        <source>Speed (length scale) must be between 0.25 and 4.</source>
        <translation>语速（长度比例）必须在 0.25 到 4 之间。</translation>
    </message>
    <message>
        <source>Variation must be between 0 and 2.</source>
        <translation>语调变化必须在 0 到 2 之间。</translation>
    </message>
    <message>
        <source>The pause between sentences must be between 0 and 5 seconds.</source>
        <translation>句间停顿必须在 0 到 5 秒之间。</translation>
    </message>
    <message>
        <source>The duration must be more than 0 and at most {seconds} seconds.</source>
        <translation>时长必须大于 0 秒，且不超过 {seconds} 秒。</translation>
    </message>
    <message>
        <source>Guidance must not be negative, temperature must be positive and top-k not negative.</source>
        <translation>引导系数不能为负，温度必须为正，Top-k 不能为负。</translation>
    </message>
</context>
<context>
    <name>AudioModel</name>
    <message>
        <source>Select a clip first.</source>
        <translation>请先选择一个片段。</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Music</source>
        <translation>音乐</translation>
    </message>
    <message>
        <source>Narration</source>
        <translation>朗读</translation>
    </message>
    <message>
        <source>{title}: {percent} % {message}</source>
        <translation>{title}：{percent}% {message}</translation>
    </message>
    <message>
        <source>{title}: {length} s of audio in {seconds} s</source>
        <translation>{title}：用 {seconds} 秒生成了 {length} 秒音频</translation>
    </message>
    <message>
        <source>{title}: stopped</source>
        <translation>{title}：已停止</translation>
    </message>
    <message>
        <source>{title}: failed</source>
        <translation>{title}：失败</translation>
    </message>
</context>
<context>
    <name>AudioPane</name>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Narration</source>
        <translation>朗读</translation>
    </message>
    <message>
        <source>Music</source>
        <translation>音乐</translation>
    </message>
    <message>
        <source>Audio</source>
        <translation>音频</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Add audio files as clips (or drop them here)</source>
        <translation>把音频文件添加为片段（也可以直接拖放到这里）</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Rename the selected clip</source>
        <translation>重命名选中的片段</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Save the selected clip as WAV or FLAC, with its provenance</source>
        <translation>把选中的片段保存为 WAV 或 FLAC，并附带来源信息</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Generate the selected AI clip again, exactly</source>
        <translation>按原样重新生成选中的 AI 片段</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete the selected clip</source>
        <translation>删除选中的片段</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop playback</source>
        <translation>停止播放</translation>
    </message>
    <message>
        <source>Trim to selection</source>
        <translation>裁剪到选区</translation>
    </message>
    <message>
        <source>Keep only the selected range</source>
        <translation>只保留选中的范围</translation>
    </message>
    <message>
        <source>Fade in</source>
        <translation>淡入</translation>
    </message>
    <message>
        <source>Fade in over the selection (or 0.5 s)</source>
        <translation>在选区内淡入（未选择时为开头 0.5 秒）</translation>
    </message>
    <message>
        <source>Fade out</source>
        <translation>淡出</translation>
    </message>
    <message>
        <source>Fade out over the selection (or 0.5 s)</source>
        <translation>在选区内淡出（未选择时为结尾 0.5 秒）</translation>
    </message>
    <message>
        <source>Apply gain</source>
        <translation>应用增益</translation>
    </message>
    <message>
        <source>Change the loudness by this many decibels</source>
        <translation>按这里的分贝数调整响度</translation>
    </message>
    <message>
        <source>Normalise</source>
        <translation>音量标准化</translation>
    </message>
    <message>
        <source>Make the loudest peak −1 dBFS</source>
        <translation>把最响的峰值调到 −1 dBFS</translation>
    </message>
    <message>
        <source>Voice:</source>
        <translation>音色：</translation>
    </message>
    <message>
        <source>Clips</source>
        <translation>片段</translation>
    </message>
    <message>
        <source> dB</source>
        <translation> dB</translation>
    </message>
    <message>
        <source>Speech</source>
        <translation>朗读</translation>
    </message>
    <message>
        <source>No clip selected</source>
        <translation>未选中片段</translation>
    </message>
    <message>
        <source>No clips yet: generate, import or drop audio</source>
        <translation>还没有片段：可以生成、导入或拖入音频</translation>
    </message>
    <message>
        <source>{rate} Hz</source>
        <translation>{rate} Hz</translation>
    </message>
    <message>
        <source>mono</source>
        <translation>单声道</translation>
    </message>
    <message>
        <source>{count} channels</source>
        <translation>{count} 声道</translation>
    </message>
    <message>
        <source>AI: {name}</source>
        <translation>AI 模型：{name}</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Play the selected clip from the playhead</source>
        <translation>从播放头处播放选中的片段</translation>
    </message>
    <message>
        <source>Import audio files as clips</source>
        <translation>导入音频文件为片段</translation>
    </message>
    <message>
        <source>Audio (*.wav *.flac *.ogg *.mp3)</source>
        <translation>音频 (*.wav *.flac *.ogg *.mp3)</translation>
    </message>
    <message>
        <source>Rename clip</source>
        <translation>重命名片段</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Drag across the waveform to select the part to keep, then Trim.</source>
        <translation>请先在波形上拖动，选出要保留的部分，再点“裁剪到选区”。</translation>
    </message>
    <message>
        <source>WAV audio (*.wav)</source>
        <translation>WAV 音频 (*.wav)</translation>
    </message>
    <message>
        <source>FLAC audio (*.flac)</source>
        <translation>FLAC 音频 (*.flac)</translation>
    </message>
    <message>
        <source>Export clip</source>
        <translation>导出片段</translation>
    </message>
    <message>
        <source>Could not export</source>
        <translation>无法导出</translation>
    </message>
    <message>
        <source>Nothing selected</source>
        <translation>没有选中文字</translation>
    </message>
    <message>
        <source>Select some text in the Document pane first.</source>
        <translation>请先在“文档”面板中选中一些文字。</translation>
    </message>
    <message>
        <source>Empty document</source>
        <translation>文档为空</translation>
    </message>
    <message>
        <source>The document has no text to narrate yet.</source>
        <translation>文档中还没有可以朗读的文字。</translation>
    </message>
    <message>
        <source>Cannot narrate</source>
        <translation>无法朗读</translation>
    </message>
    <message>
        <source>Cannot generate music</source>
        <translation>无法生成音乐</translation>
    </message>
    <message>
        <source>Not generated here</source>
        <translation>不是在这里生成的</translation>
    </message>
    <message>
        <source>Only clips generated in this project can be regenerated.</source>
        <translation>只有在本项目中生成的片段才能重新生成。</translation>
    </message>
</context>
<context>
    <name>AudioPlayback</name>
    <message>
        <source>Playback is off: the PortAudio library is not installed (Debian: libportaudio2). Export still works.</source>
        <translation>无法播放：没有安装 PortAudio 库（Debian：libportaudio2）。导出仍可正常使用。</translation>
    </message>
    <message>
        <source>Playback is off: the sound system did not answer ({reason}). Export still works.</source>
        <translation>无法播放：声音系统没有响应（{reason}）。导出仍可正常使用。</translation>
    </message>
    <message>
        <source>Playback is off: no sound output device was found. Export still works.</source>
        <translation>无法播放：没有找到声音输出设备。导出仍可正常使用。</translation>
    </message>
</context>
<context>
    <name>Autosaver</name>
    <message>
        <source>Autosave failed: {reason}. Save your work with File › Save.</source>
        <translation>自动保存失败：{reason}。请用“文件 › 保存”保存你的作品。</translation>
    </message>
    <message>
        <source>Autosave works again.</source>
        <translation>自动保存已恢复正常。</translation>
    </message>
</context>
<context>
    <name>Background</name>
    <message>
        <source>Unexpected error: {error}: {reason} (details in the log file)</source>
        <translation>意外错误：{error}：{reason}（详情见日志文件）</translation>
    </message>
</context>
<context>
    <name>CanvasCommands</name>
    <message>
        <source>Crop to {width}×{height}</source>
        <translation>裁剪为 {width}×{height}</translation>
    </message>
    <message>
        <source>Resize image {width}×{height} → {new_width}×{new_height}</source>
        <translation>调整图像大小 {width}×{height} → {new_width}×{new_height}</translation>
    </message>
    <message>
        <source>Canvas size {width}×{height} → {new_width}×{new_height}</source>
        <translation>画布大小 {width}×{height} → {new_width}×{new_height}</translation>
    </message>
    <message>
        <source>Brush stroke</source>
        <translation>画笔描边</translation>
    </message>
    <message>
        <source>Erase</source>
        <translation>擦除</translation>
    </message>
    <message>
        <source>Fill</source>
        <translation>填充</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文字</translation>
    </message>
    <message>
        <source>Clear selection</source>
        <translation>清除选区内容</translation>
    </message>
    <message>
        <source>Paint mask</source>
        <translation>绘制蒙版</translation>
    </message>
    <message>
        <source>Erase mask</source>
        <translation>擦除蒙版</translation>
    </message>
    <message>
        <source>Clear mask</source>
        <translation>清除蒙版</translation>
    </message>
    <message>
        <source>Invert mask</source>
        <translation>反转蒙版</translation>
    </message>
    <message>
        <source>Show {name}</source>
        <translation>显示“{name}”</translation>
    </message>
    <message>
        <source>Hide {name}</source>
        <translation>隐藏“{name}”</translation>
    </message>
    <message>
        <source>Change opacity of {name}</source>
        <translation>更改“{name}”的不透明度</translation>
    </message>
    <message>
        <source>Add layer {name}</source>
        <translation>添加图层“{name}”</translation>
    </message>
    <message>
        <source>Delete layer {name}</source>
        <translation>删除图层“{name}”</translation>
    </message>
    <message>
        <source>Move layer {name}</source>
        <translation>移动图层“{name}”</translation>
    </message>
    <message>
        <source>{action} on {name}</source>
        <translation>{action}（{name}）</translation>
    </message>
</context>
<context>
    <name>CanvasModel</name>
    <message>
        <source>There is no layer to paint on: add one with New in the Layers tab.</source>
        <translation>没有可绘制的图层：请在“图层”标签页中点“新建”添加一个。</translation>
    </message>
    <message>
        <source>“{name}” is hidden: tick it in the Layers tab to paint on it.</source>
        <translation>“{name}”已隐藏：在“图层”标签页中勾选它后才能在上面绘制。</translation>
    </message>
    <message>
        <source>Layer {number}</source>
        <translation>图层 {number}</translation>
    </message>
    <message>
        <source>{name} copy</source>
        <translation>{name} 副本</translation>
    </message>
    <message>
        <source>Nothing is selected: select an area first (M or L), then press Delete.</source>
        <translation>没有选区：请先选择一个区域（M 或 L），再按 Delete。</translation>
    </message>
    <message>
        <source>Select the area to keep first (M or L), then crop.</source>
        <translation>请先选择要保留的区域（M 或 L），再裁剪。</translation>
    </message>
    <message>
        <source>Canvas margins cannot be negative; use Crop to selection to make the canvas smaller.</source>
        <translation>画布边距不能为负数；要缩小画布，请用“裁剪到选区”。</translation>
    </message>
</context>
<context>
    <name>CanvasOps</name>
    <message>
        <source>Click inside the layer to fill.</source>
        <translation>请在图层范围内点击以填充。</translation>
    </message>
    <message>
        <source>The canvas must be at least 1×1 pixel.</source>
        <translation>画布至少要有 1×1 像素。</translation>
    </message>
    <message>
        <source>The canvas can be at most {side}×{side} pixels (asked {width}×{height}).</source>
        <translation>画布最大为 {side}×{side} 像素（当前要求 {width}×{height}）。</translation>
    </message>
</context>
<context>
    <name>CanvasPane</name>
    <message>
        <source>Canvas</source>
        <translation>画布</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Select all</source>
        <translation>全选</translation>
    </message>
    <message>
        <source>Select the whole canvas</source>
        <translation>选中整个画布</translation>
    </message>
    <message>
        <source>Deselect</source>
        <translation>取消选择</translation>
    </message>
    <message>
        <source>Drop the selection</source>
        <translation>取消当前选区</translation>
    </message>
    <message>
        <source>Invert</source>
        <translation>反选</translation>
    </message>
    <message>
        <source>Select what is not selected</source>
        <translation>选中当前未选中的部分</translation>
    </message>
    <message>
        <source>Crop to selection</source>
        <translation>裁剪到选区</translation>
    </message>
    <message>
        <source>Cut the canvas to the selection&apos;s bounds</source>
        <translation>把画布裁剪到选区的边界</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Erase the selected pixels of the current layer</source>
        <translation>擦除当前图层中选中的像素</translation>
    </message>
    <message>
        <source>Resize image…</source>
        <translation>调整图像大小…</translation>
    </message>
    <message>
        <source>Scale the whole picture to a new size</source>
        <translation>把整幅图缩放到新尺寸</translation>
    </message>
    <message>
        <source>Canvas size…</source>
        <translation>画布大小…</translation>
    </message>
    <message>
        <source>Add margins around the picture (for outpainting)</source>
        <translation>在图片四周添加边距（用于扩图）</translation>
    </message>
    <message>
        <source>Clear mask</source>
        <translation>清除蒙版</translation>
    </message>
    <message>
        <source>Remove the whole inpaint mask</source>
        <translation>移除整个局部重绘蒙版</translation>
    </message>
    <message>
        <source>Invert mask</source>
        <translation>反转蒙版</translation>
    </message>
    <message>
        <source>Mask what is not masked, and the other way round</source>
        <translation>把未遮住的部分变为蒙版，已遮住的部分取消蒙版</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大视图</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小视图</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>Zoom to fit the canvas</source>
        <translation>缩放到完整显示画布</translation>
    </message>
    <message>
        <source>Show the picture at its real size</source>
        <translation>按实际像素大小显示图片</translation>
    </message>
    <message>
        <source>Smaller brush</source>
        <translation>缩小画笔</translation>
    </message>
    <message>
        <source>Bigger brush</source>
        <translation>放大画笔</translation>
    </message>
    <message>
        <source>Cannot regenerate</source>
        <translation>无法重新生成</translation>
    </message>
    <message>
        <source>Import images as layers</source>
        <translation>将图片导入为图层</translation>
    </message>
    <message>
        <source>Images ({patterns})</source>
        <translation>图片 ({patterns})</translation>
    </message>
</context>
<context>
    <name>CanvasSizeDialog</name>
    <message>
        <source>Canvas size</source>
        <translation>画布大小</translation>
    </message>
    <message>
        <source>Top</source>
        <translation>上边</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>左边</translation>
    </message>
    <message>
        <source>Right</source>
        <translation>右边</translation>
    </message>
    <message>
        <source>Bottom</source>
        <translation>下边</translation>
    </message>
    <message>
        <source>Add empty margins around the picture (transparent: outpainting can fill them).</source>
        <translation>在图片四周添加空白边距（透明，可用扩图填充）。</translation>
    </message>
    <message>
        <source>{width} × {height}
→ {new_width} × {new_height} px</source>
        <translation>{width} × {height}
→ {new_width} × {new_height} px</translation>
    </message>
</context>
<context>
    <name>CanvasTools</name>
    <message>
        <source>Nothing painted: painting stays inside the selection (Ctrl+D deselects).</source>
        <translation>没有画上：绘制只在选区内生效（Ctrl+D 取消选择）。</translation>
    </message>
    <message>
        <source>Brush</source>
        <translation>画笔</translation>
    </message>
    <message>
        <source>Paint on the current layer (Shift+click: straight line; [ and ]: size)</source>
        <translation>在当前图层上绘制（Shift+单击：画直线；[ 和 ]：调整大小）</translation>
    </message>
    <message>
        <source>Eraser</source>
        <translation>橡皮擦</translation>
    </message>
    <message>
        <source>Erase the current layer to transparency</source>
        <translation>把当前图层擦成透明</translation>
    </message>
    <message>
        <source>Mask</source>
        <translation>蒙版</translation>
    </message>
    <message>
        <source>Paint the inpaint mask: the red area is what a generation repaints (not a layer, not saved)</source>
        <translation>绘制局部重绘蒙版：红色区域就是生成时要重绘的部分（不是图层，不会保存）</translation>
    </message>
    <message>
        <source>Fill</source>
        <translation>填充</translation>
    </message>
    <message>
        <source>Fill the area of similar colour on the current layer (tolerance: how similar)</source>
        <translation>填充当前图层上颜色相近的区域（容差：相近的程度）</translation>
    </message>
    <message>
        <source>Click on the layer “{name}” to fill it.</source>
        <translation>请在图层“{name}”上点击以填充。</translation>
    </message>
    <message>
        <source>Nothing to fill here (the fill stays inside the selection).</source>
        <translation>这里没有可填充的地方（填充只在选区内生效）。</translation>
    </message>
    <message>
        <source>Picker</source>
        <translation>吸管</translation>
    </message>
    <message>
        <source>Pick the brush colour from the canvas</source>
        <translation>从画布上吸取画笔颜色</translation>
    </message>
    <message>
        <source>Hand</source>
        <translation>抓手</translation>
    </message>
    <message>
        <source>Drag to move around (also: Space+drag or the middle button; the wheel zooms)</source>
        <translation>拖动以移动视图（也可按住空格拖动或用鼠标中键；滚轮缩放）</translation>
    </message>
    <message>
        <source>Rectangle</source>
        <translation>矩形</translation>
    </message>
    <message>
        <source>Select a rectangle (Shift adds, Ctrl subtracts; a click deselects)</source>
        <translation>框选一个矩形区域（Shift 加选，Ctrl 减选；单击取消选择）</translation>
    </message>
    <message>
        <source>Lasso</source>
        <translation>套索</translation>
    </message>
    <message>
        <source>Select a free-hand area (Shift adds, Ctrl subtracts)</source>
        <translation>徒手圈选一个区域（Shift 加选，Ctrl 减选）</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文字</translation>
    </message>
    <message>
        <source>Click and type; Enter places the text on the current layer, Escape cancels</source>
        <translation>点击后输入文字；按 Enter 放到当前图层上，按 Esc 取消</translation>
    </message>
    <message>
        <source>The text fell outside the layer or the selection.</source>
        <translation>文字落在了图层或选区之外。</translation>
    </message>
</context>
<context>
    <name>Catalog</name>
    <message>
        <source> (about {size})</source>
        <translation>（约 {size}）</translation>
    </message>
    <message>
        <source>Needs an internet connection on first use: it then fetches {what}{size} from {source}, which is not part of this download. Until then it does not work offline.</source>
        <translation>首次使用时需要联网：届时会从 {source} 获取 {what}{size}，它不包含在这次下载中。在此之前无法离线使用。</translation>
    </message>
    <message>
        <source>No model &apos;{id}&apos; in the catalog. Catalog models: {known}.</source>
        <translation>模型目录中没有“{id}”。目录中的模型：{known}。</translation>
    </message>
    <message>
        <source>The model catalog {path} is missing; reinstall the app.</source>
        <translation>找不到模型目录 {path}，请重新安装应用。</translation>
    </message>
    <message>
        <source>The model catalog {path} cannot be read: {reason}.</source>
        <translation>无法读取模型目录 {path}：{reason}。</translation>
    </message>
    <message>
        <source>The model catalog {path} is not a version {version} catalog.</source>
        <translation>模型目录 {path} 不是第 {version} 版的格式。</translation>
    </message>
    <message>
        <source>The model catalog {path} lists &apos;{id}&apos; twice.</source>
        <translation>模型目录 {path} 中“{id}”出现了两次。</translation>
    </message>
    <message>
        <source>{what}: &apos;{value}&apos; is not a plain relative path.</source>
        <translation>{what}：“{value}”不是简单的相对路径。</translation>
    </message>
    <message>
        <source>{what}: &apos;{value}&apos; would leave the model&apos;s folder; refused.</source>
        <translation>{what}：“{value}”会超出模型所在的文件夹，已拒绝。</translation>
    </message>
    <message>
        <source>{file}, model #{number}</source>
        <translation>{file}，第 {number} 个模型</translation>
    </message>
    <message>
        <source>{where}: not an object.</source>
        <translation>{where}：不是一个对象。</translation>
    </message>
    <message>
        <source>{where}: &apos;{key}&apos; must be a non-empty string.</source>
        <translation>{where}：“{key}”必须是非空文本。</translation>
    </message>
    <message>
        <source>{where}: &apos;{key}&apos; must be a number of GB.</source>
        <translation>{where}：“{key}”必须是以 GB 为单位的数字。</translation>
    </message>
    <message>
        <source>{file}, model &apos;{id}&apos;</source>
        <translation>{file}，模型“{id}”</translation>
    </message>
    <message>
        <source>{where}: the id may only hold lower-case letters, digits, &apos;.&apos;, &apos;-&apos; and &apos;_&apos;.</source>
        <translation>{where}：id 只能包含小写字母、数字、“.”、“-”和“_”。</translation>
    </message>
    <message>
        <source>{where}: unknown kind &apos;{kind}&apos;.</source>
        <translation>{where}：未知的类型“{kind}”。</translation>
    </message>
    <message>
        <source>{where}: &apos;{repo}&apos; is not a Hub repository id (owner/name).</source>
        <translation>{where}：“{repo}”不是 Hub 仓库 id（所有者/名称）。</translation>
    </message>
    <message>
        <source>{where}: no files to download.</source>
        <translation>{where}：没有要下载的文件。</translation>
    </message>
    <message>
        <source>{where}: two files would be saved under the same name.</source>
        <translation>{where}：有两个文件会以同一个名字保存。</translation>
    </message>
    <message>
        <source>{where}, model_path</source>
        <translation>{where}，model_path</translation>
    </message>
    <message>
        <source>{where}: &apos;gpu&apos; must be one of {values}.</source>
        <translation>{where}：“gpu”必须是 {values} 之一。</translation>
    </message>
    <message>
        <source>{where}: &apos;approx_bytes&apos; must be a whole number of bytes.</source>
        <translation>{where}：“approx_bytes”必须是整数字节数。</translation>
    </message>
    <message>
        <source>{where}: give &apos;approx_bytes&apos; when some file sizes are not known.</source>
        <translation>{where}：有文件大小未知时，请给出“approx_bytes”。</translation>
    </message>
    <message>
        <source>{where}: &apos;needs_online&apos; must be an object with &apos;what&apos; and &apos;source&apos; (and &apos;approx_bytes&apos;, a whole number of bytes, if known).</source>
        <translation>{where}：“needs_online”必须是包含“what”和“source”的对象（已知时再加上整数字节数“approx_bytes”）。</translation>
    </message>
    <message>
        <source>{where}: every file must be an object.</source>
        <translation>{where}：每个文件都必须是一个对象。</translation>
    </message>
    <message>
        <source>{where}, file</source>
        <translation>{where}，文件</translation>
    </message>
    <message>
        <source>{where}, save_as</source>
        <translation>{where}，save_as</translation>
    </message>
    <message>
        <source>{where}: the size of {path} must be a positive number of bytes or null.</source>
        <translation>{where}：{path} 的大小必须是正的字节数或 null。</translation>
    </message>
    <message>
        <source>{where}: the sha256 of {path} must be 64 lower-case hex digits or null.</source>
        <translation>{where}：{path} 的 sha256 必须是 64 位小写十六进制数或 null。</translation>
    </message>
    <message>
        <source>{where}: &apos;{key}&apos; must be a list.</source>
        <translation>{where}：“{key}”必须是列表。</translation>
    </message>
</context>
<context>
    <name>CatalogTab</name>
    <message>
        <source>✓ fits</source>
        <translation>✓ 可以运行</translation>
    </message>
    <message>
        <source>✓ fits, slow</source>
        <translation>✓ 可以运行，较慢</translation>
    </message>
    <message>
        <source>~ tight</source>
        <translation>~ 内存紧张</translation>
    </message>
    <message>
        <source>✗ too big</source>
        <translation>✗ 配置不够</translation>
    </message>
    <message>
        <source>Sizes marked ≈ are estimates; the exact ones come from the Hub when the download starts.</source>
        <translation>标有 ≈ 的大小是估计值；开始下载时会从 Hub 获取准确大小。</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>Languages</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>This machine</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>✓ Installed</source>
        <translation>✓ 已安装</translation>
    </message>
    <message>
        <source>{machine} {legend}</source>
        <translation>{machine}{legend}</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Cancel download</source>
        <translation>取消下载</translation>
    </message>
    <message>
        <source>Unfinished downloads from before: {names}. Select one and press Resume to continue where it stopped.</source>
        <translation>有之前未完成的下载：{names}。选中一个并点“继续”，即可从中断处接着下载。</translation>
    </message>
    <message>
        <source>Unfinished download from before: {names}. Select it and press Resume to continue where it stopped.</source>
        <translation>有之前未完成的下载：{names}。选中它并点“继续”，即可从中断处接着下载。</translation>
    </message>
    <message>
        <source>Exact size</source>
        <translation>准确大小</translation>
    </message>
    <message>
        <source>Approximate: the exact sizes come from the Hub at download</source>
        <translation>估计值：下载时会从 Hub 获取准确大小</translation>
    </message>
    <message>
        <source>Failed: {error}</source>
        <translation>失败：{error}</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>{file} ({index} of {count})</source>
        <translation>{file}（第 {index} 个，共 {count} 个）</translation>
    </message>
    <message>
        <source>Stopped at {percent}: {error}</source>
        <translation>停在 {percent}：{error}</translation>
    </message>
    <message>
        <source>{done} of {total}</source>
        <translation>{done} / {total}</translation>
    </message>
    <message>
        <source>Paused at {percent} · {got}</source>
        <translation>已暂停于 {percent} · {got}</translation>
    </message>
    <message>
        <source>What was downloaded is kept, even if the app is closed. Resume continues it.</source>
        <translation>已下载的部分会保留，即使关闭应用也不会丢失。点“继续”即可接着下载。</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Select a model to see what it is and whether it fits this machine.</source>
        <translation>选择一个模型，查看它的介绍以及能否在本机运行。</translation>
    </message>
    <message>
        <source>licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>{name} is already installed.</source>
        <translation>{name} 已经安装。</translation>
    </message>
    <message>
        <source>{name}: {reason}</source>
        <translation>{name}：{reason}</translation>
    </message>
    <message>
        <source>Downloading {name} from {repo}…</source>
        <translation>正在从 {repo} 下载 {name}…</translation>
    </message>
    <message>
        <source>{downloading} {online}</source>
        <translation>{downloading}{online}</translation>
    </message>
    <message>
        <source>Deleted the unfinished download of {id}.</source>
        <translation>已删除 {id} 未完成的下载。</translation>
    </message>
    <message>
        <source>Installed {name}; it is listed under Installed and in its pane.</source>
        <translation>已安装 {name}，可在“已安装”和对应的面板中找到它。</translation>
    </message>
    <message>
        <source>{name}: cancelled; the partial download was deleted.</source>
        <translation>{name}：已取消，下载了一半的文件已删除。</translation>
    </message>
    <message>
        <source>{name}: paused; Resume continues it, even after a restart.</source>
        <translation>{name}：已暂停；点“继续”即可接着下载，重启应用后也可以。</translation>
    </message>
    <message>
        <source>{time} left</source>
        <translation>还剩 {time}</translation>
    </message>
</context>
<context>
    <name>ColourButton</name>
    <message>
        <source>Brush, fill and text colour (click to choose)</source>
        <translation>画笔、填充和文字的颜色（点击选择）</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
</context>
<context>
    <name>ComfyUI</name>
    <message>
        <source>{id} is not a server model.</source>
        <translation>{id} 不是服务器上的模型。</translation>
    </message>
    <message>
        <source>Connecting to {name}…</source>
        <translation>正在连接 {name}…</translation>
    </message>
    <message>
        <source>{name} cannot do {mode}. {reason}</source>
        <translation>{name} 无法进行{mode}。{reason}</translation>
    </message>
    <message>
        <source>{name} has no checkpoint “{model}”. It has: {known}.</source>
        <translation>{name} 上没有检查点“{model}”。它有：{known}。</translation>
    </message>
    <message>
        <source>upscaled with {model}</source>
        <translation>用 {model} 放大</translation>
    </message>
    <message>
        <source>the server answered from its cache (same graph as before)</source>
        <translation>服务器直接用了缓存结果（与上次的工作流相同）</translation>
    </message>
    <message>
        <source>ComfyUI {version} on {server}: {model}</source>
        <translation>ComfyUI {version}，服务器 {server}：{model}</translation>
    </message>
    <message>
        <source>{name} does not know the sampler {sampler}: pick another.</source>
        <translation>{name} 不认识采样器 {sampler}：请换一个。</translation>
    </message>
    <message>
        <source>Uploading to {name}…</source>
        <translation>正在上传到 {name}…</translation>
    </message>
    <message>
        <source>Queued on {name}…</source>
        <translation>已在 {name} 上排队…</translation>
    </message>
    <message>
        <source>This mode needs {what}.</source>
        <translation>这个模式需要 {what}。</translation>
    </message>
    <message>
        <source>{name} answered, but not as a ComfyUI server (no /system_stats or /object_info as ComfyUI has them). Is this the right address and port (ComfyUI listens on 8188 by default)?</source>
        <translation>{name} 有应答，但不像 ComfyUI 服务器（没有 ComfyUI 那样的 /system_stats 或 /object_info）。地址和端口对吗？（ComfyUI 默认监听 8188 端口）</translation>
    </message>
    <message>
        <source>{name} runs ComfyUI {version}, which is too old: update it to {minimum} or newer.</source>
        <translation>{name} 运行的是 ComfyUI {version}，版本太旧：请更新到 {minimum} 或更新版本。</translation>
    </message>
    <message>
        <source>{name} refused an image of {size}: over its upload limit of {limit}. Use a smaller picture, or start ComfyUI with a larger --max-upload-size.</source>
        <translation>{name} 拒收了一张 {size} 的图片：超过了它 {limit} 的上传上限。请用小一些的图片，或用更大的 --max-upload-size 启动 ComfyUI。</translation>
    </message>
    <message>
        <source>{name} refused the job: {detail}</source>
        <translation>{name} 拒绝了这个任务：{detail}</translation>
    </message>
    <message>
        <source>{name} could not run the job: {node} failed: {detail}</source>
        <translation>{name} 无法完成这个任务：{node} 出错：{detail}</translation>
    </message>
    <message>
        <source>{name} stopped the job: it was cancelled on the server (not from this app).</source>
        <translation>{name} 停止了这个任务：它在服务器上被取消了（不是在本应用里）。</translation>
    </message>
    <message>
        <source>{name} no longer knows the job (was the server restarted?). Nothing came back.</source>
        <translation>{name} 已找不到这个任务（服务器是否重启过？），没有拿到任何结果。</translation>
    </message>
    <message>
        <source>{name} finished the job but kept no record of its images.</source>
        <translation>{name} 完成了任务，但没有留下图片记录。</translation>
    </message>
    <message>
        <source>{name} could not run the job: {detail}</source>
        <translation>{name} 无法完成这个任务：{detail}</translation>
    </message>
    <message>
        <source>{name} finished the job but returned no image.</source>
        <translation>{name} 完成了任务，但没有返回图片。</translation>
    </message>
    <message>
        <source>text to image</source>
        <translation>文生图</translation>
    </message>
    <message>
        <source>img2img</source>
        <translation>图生图</translation>
    </message>
    <message>
        <source>inpaint</source>
        <translation>局部重绘</translation>
    </message>
    <message>
        <source>outpaint</source>
        <translation>扩图</translation>
    </message>
    <message>
        <source>upscale</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>No {mode}: the server lacks the node(s) {nodes}.</source>
        <translation>不能{mode}：服务器缺少节点 {nodes}。</translation>
    </message>
    <message>
        <source>No upscale: the server has no upscale model (put one such as 4x-UltraSharp into ComfyUI&apos;s models/upscale_models folder, then test again).</source>
        <translation>不能放大：服务器上没有放大模型（把 4x-UltraSharp 之类的模型放进 ComfyUI 的 models/upscale_models 文件夹，然后重新测试）。</translation>
    </message>
    <message>
        <source>No {mode}: the server has no checkpoint (put one into ComfyUI&apos;s models/checkpoints).</source>
        <translation>不能{mode}：服务器上没有模型检查点（请把一个放进 ComfyUI 的 models/checkpoints 文件夹）。</translation>
    </message>
</context>
<context>
    <name>Corpus</name>
    <message>
        <source>{name}: {reason}</source>
        <translation>{name}：{reason}</translation>
    </message>
    <message>
        <source>There is no file or folder at {path}.</source>
        <translation>{path} 处没有文件或文件夹。</translation>
    </message>
    <message>
        <source>too large ({size} MB; at most {limit} MB per file — split it into smaller files)</source>
        <translation>文件过大（{size} MB；每个文件最多 {limit} MB——请拆分成较小的文件）</translation>
    </message>
    <message>
        <source>not read: the texts already read reach the limit of {limit} MB</source>
        <translation>未读取：已读取的文本已达上限 {limit} MB</translation>
    </message>
    <message>
        <source>no words in it</source>
        <translation>其中没有文字</translation>
    </message>
    <message>
        <source>No text could be read: {count} file(s) skipped, for example {first}.</source>
        <translation>无法读取任何文本：跳过了 {count} 个文件，例如 {first}。</translation>
    </message>
    <message>
        <source>No text found: give .txt, .md or .docx files, or a folder that holds them.</source>
        <translation>没有找到文本：请提供 .txt、.md 或 .docx 文件，或包含这些文件的文件夹。</translation>
    </message>
    <message>
        <source>Too little text to learn a style from: {words} words found, at least {minimum} are needed (about four pages).</source>
        <translation>文本太少，无法学习风格：只找到 {words} 字，至少需要 {minimum} 字（约四页）。</translation>
    </message>
    <message>
        <source>the file is empty</source>
        <translation>文件是空的</translation>
    </message>
    <message>
        <source>it starts like {encoding} text but is damaged</source>
        <translation>看起来是 {encoding} 文本，但已损坏</translation>
    </message>
    <message>
        <source>not a text file (it holds binary data; UTF-16 text needs a byte-order mark)</source>
        <translation>不是文本文件（含有二进制数据；UTF-16 文本需要字节顺序标记）</translation>
    </message>
    <message>
        <source>not UTF-8 or GB18030 text (save it as UTF-8 and try again)</source>
        <translation>不是 UTF-8 或 GB18030 文本（请另存为 UTF-8 后重试）</translation>
    </message>
    <message>
        <source>not a Word document (no word/document.xml inside)</source>
        <translation>不是 Word 文档（其中没有 word/document.xml）</translation>
    </message>
    <message>
        <source>the document&apos;s text part is too large (over {limit} MB)</source>
        <translation>文档的文字部分过大（超过 {limit} MB）</translation>
    </message>
    <message>
        <source>not a readable .docx file ({reason})</source>
        <translation>不是可读取的 .docx 文件（{reason}）</translation>
    </message>
    <message>
        <source>not a .txt, .md or .docx file</source>
        <translation>不是 .txt、.md 或 .docx 文件</translation>
    </message>
    <message>
        <source>not read: at most {limit} files are read</source>
        <translation>未读取：最多读取 {limit} 个文件</translation>
    </message>
    <message>
        <source>cannot be read ({reason})</source>
        <translation>无法读取（{reason}）</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>Something went wrong</source>
        <translation>出错了</translation>
    </message>
    <message>
        <source>An unexpected error happened: {error}
Your work is still open. Please save it.</source>
        <translation>发生了意外错误：{error}
你的作品仍然开着，请及时保存。</translation>
    </message>
</context>
<context>
    <name>CrossingActions</name>
    <message>
        <source>The paragraph this picture illustrates is no longer in the document (edited or deleted).</source>
        <translation>这张配图对应的段落已不在文档中（已被修改或删除）。</translation>
    </message>
    <message>
        <source>Illustrate…</source>
        <translation>配图…</translation>
    </message>
    <message>
        <source>A picture on the Canvas for the paragraph at the cursor (or the selection), painted from a prompt the text model drafts for you to edit</source>
        <translation>为光标所在的段落（或选中的文字）在画布上画一张配图：文本模型先拟好提示词，你可以修改</translation>
    </message>
    <message>
        <source>Narrate</source>
        <translation>朗读</translation>
    </message>
    <message>
        <source>Read the selection (or the whole document) aloud in the Audio pane</source>
        <translation>在音频面板中朗读选中的文字（或整篇文档）</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>配乐</translation>
    </message>
    <message>
        <source>Music for the selection (or the whole document): the text model drafts a prompt from its mood in the Audio pane&apos;s Music tab</source>
        <translation>为选中的文字（或整篇文档）配乐：文本模型根据其情绪在音频面板的“音乐”页拟好提示词</translation>
    </message>
</context>
<context>
    <name>Crossings</name>
    <message>
        <source>Illustrate paints with an image model, and none is installed. Install one in File ▸ Models… (Stable Diffusion 1.5, or SD-Turbo for speed), or train one on your pictures (Tools ▸ Train on my images…).</source>
        <translation>配图需要图像模型，但还没有安装。请在“文件 ▸ 模型…”中安装一个（Stable Diffusion 1.5，或更快的 SD-Turbo），或用你的图片训练一个（“工具 ▸ 用我的图片训练…”）。</translation>
    </message>
    <message>
        <source>{model}, the Canvas&apos;s image model, cannot paint from a prompt. Choose a text-to-image model on the Canvas (such as Stable Diffusion; File ▸ Models… installs one).</source>
        <translation>画布当前的图像模型 {model} 不能根据提示词作画。请在画布上选择一个文生图模型（例如 Stable Diffusion；可在“文件 ▸ 模型…”中安装）。</translation>
    </message>
    <message>
        <source>Drafting a prompt with {model}…</source>
        <translation>正在用 {model} 拟写提示词…</translation>
    </message>
    <message>
        <source>Score: drafting a music prompt with {model}…</source>
        <translation>配乐：正在用 {model} 拟写音乐提示词…</translation>
    </message>
    <message>
        <source>Score: the music prompt is in the Audio pane’s Music tab.</source>
        <translation>配乐：音乐提示词已填入音频面板的“音乐”页。</translation>
    </message>
    <message>
        <source>Cannot illustrate</source>
        <translation>无法配图</translation>
    </message>
    <message>
        <source>Put the cursor in a paragraph, or select some text, to illustrate it.</source>
        <translation>请把光标放在一个段落中，或选中一些文字，再配图。</translation>
    </message>
    <message>
        <source>Cannot score</source>
        <translation>无法配乐</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>Details are in the log file:
{path}</source>
        <translation>详细信息记录在日志文件中：
{path}</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>有未保存的更改</translation>
    </message>
    <message>
        <source>“{name}” has changes that are not saved. Save them first?</source>
        <translation>“{name}”有未保存的更改。要先保存吗？</translation>
    </message>
</context>
<context>
    <name>DiffusersEngine</name>
    <message>
        <source>Loading torch and diffusers…</source>
        <translation>正在加载 torch 和 diffusers…</translation>
    </message>
    <message>
        <source>Loading {name}…</source>
        <translation>正在加载 {name}…</translation>
    </message>
    <message>
        <source>{name} could not be loaded as a diffusers pipeline: {reason}</source>
        <translation>无法把 {name} 加载为 diffusers 管线：{reason}</translation>
    </message>
    <message>
        <source>{name} is a {pipeline} pipeline; this app runs Stable Diffusion 1.x, 2.x and XL pipelines and the Stable Diffusion x4 upscaler.</source>
        <translation>{name} 是 {pipeline} 管线；本应用支持 Stable Diffusion 1.x、2.x、XL 管线和 Stable Diffusion x4 放大模型。</translation>
    </message>
    <message>
        <source>{file} could not be read as a checkpoint: {reason}</source>
        <translation>无法把 {file} 读取为检查点：{reason}</translation>
    </message>
    <message>
        <source>{file} holds no tensors by name, so it is not a Stable Diffusion checkpoint.</source>
        <translation>{file} 中没有按名称存放的张量，所以不是 Stable Diffusion 检查点。</translation>
    </message>
    <message>
        <source>No image model is loaded.</source>
        <translation>没有加载图像模型。</translation>
    </message>
    <message>
        <source>The GPU ran out of memory: choose a smaller size, or the memory setting &apos;Model CPU offload&apos;.</source>
        <translation>GPU 显存不足：请选择更小的尺寸，或把显存设置改为“模型 CPU 卸载”。</translation>
    </message>
    <message>
        <source>Image generation failed: {reason}</source>
        <translation>图像生成失败：{reason}</translation>
    </message>
    <message>
        <source>Lanczos (no upscaler model)</source>
        <translation>Lanczos（没有放大模型）</translation>
    </message>
    <message>
        <source>This model</source>
        <translation>此模型</translation>
    </message>
    <message>
        <source>{name} is a diffusion model; interpolation needs a VAE trained in this app.</source>
        <translation>{name} 是扩散模型；插值需要在本应用中训练的 VAE。</translation>
    </message>
    <message>
        <source>{name} is an upscaler: it can only upscale an image (choose the upscale mode).</source>
        <translation>{name} 是放大模型：只能放大图片（请选择“放大图层”模式）。</translation>
    </message>
    <message>
        <source>inpainting model: text-to-image runs as inpainting of a blank canvas</source>
        <translation>局部重绘模型：文生图以在空白画布上局部重绘的方式运行</translation>
    </message>
    <message>
        <source>the image to start from</source>
        <translation>起始图片</translation>
    </message>
    <message>
        <source>outpaint: border filled from the picture, then inpainted</source>
        <translation>扩图：先用图片自身的颜色填充边框，再局部重绘</translation>
    </message>
    <message>
        <source>the mask</source>
        <translation>蒙版</translation>
    </message>
    <message>
        <source>The mask is empty: paint (white) where the picture should change.</source>
        <translation>蒙版是空的：请在图片需要改变的地方涂上（白色）。</translation>
    </message>
    <message>
        <source>the style reference</source>
        <translation>风格参考图</translation>
    </message>
    <message>
        <source>style: IP-Adapter {file} (scale {scale})</source>
        <translation>风格：IP-Adapter {file}（强度 {scale}）</translation>
    </message>
    <message>
        <source>style: img2img recipe (colour transfer from the reference, then img2img; no IP-Adapter)</source>
        <translation>风格：图生图方案（先从参考图迁移颜色，再图生图；未安装 IP-Adapter）</translation>
    </message>
    <message>
        <source>inpainting model: img2img runs as inpainting under a full mask</source>
        <translation>局部重绘模型：图生图以全图蒙版下局部重绘的方式运行</translation>
    </message>
    <message>
        <source>the image to upscale</source>
        <translation>要放大的图片</translation>
    </message>
    <message>
        <source>Upscaling {width}×{height} ×{factor} exceeds {limit} px.</source>
        <translation>把 {width}×{height} 放大 ×{factor} 会超过 {limit} px。</translation>
    </message>
    <message>
        <source>The upscaler makes images {native}× larger; {width}×{height} would exceed {limit} px per side. Upscale a smaller image or a part of it.</source>
        <translation>这个放大模型会把图片放大 {native}×；{width}×{height} 放大后边长会超过 {limit} px。请放大更小的图片或其中一部分。</translation>
    </message>
    <message>
        <source>the model upscales x{native}; resized to x{factor} with Lanczos</source>
        <translation>模型放大 x{native}；再用 Lanczos 调整到 x{factor}</translation>
    </message>
    <message>
        <source>x{native}, then Lanczos to x{factor}</source>
        <translation>x{native}，再用 Lanczos 调整到 x{factor}</translation>
    </message>
    <message>
        <source>The IP-Adapter {file} could not be loaded: {reason}</source>
        <translation>无法加载 IP-Adapter {file}：{reason}</translation>
    </message>
    <message>
        <source>diffusers {pipeline} ({how})</source>
        <translation>diffusers {pipeline}（{how}）</translation>
    </message>
    <message>
        <source>This mode needs {what}.</source>
        <translation>此模式需要{what}。</translation>
    </message>
    <message>
        <source>With strength {strength}, {steps} steps make no denoising step at all: raise the steps or the strength.</source>
        <translation>重绘强度为 {strength} 时，{steps} 步不会执行任何去噪步骤：请增加步数或重绘强度。</translation>
    </message>
</context>
<context>
    <name>Discover</name>
    <message>
        <source>Hugging Face cache</source>
        <translation>Hugging Face 缓存</translation>
    </message>
    <message>
        <source>folder you added</source>
        <translation>你添加的文件夹</translation>
    </message>
</context>
<context>
    <name>DocumentModel</name>
    <message>
        <source>Continue</source>
        <translation>续写</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>多个版本</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>{title}: waiting for the model…</source>
        <translation>{title}：正在等待模型…</translation>
    </message>
    <message>
        <source>Regenerate: {what}</source>
        <translation>重新生成：{what}</translation>
    </message>
    <message>
        <source>{title}: writing… {characters} characters</source>
        <translation>{title}：正在写… 已写 {characters} 字</translation>
    </message>
    <message>
        <source>{title}: failed</source>
        <translation>{title}：失败</translation>
    </message>
    <message>
        <source>{title}: cancelled</source>
        <translation>{title}：已停止</translation>
    </message>
    <message>
        <source>{title}: {tokens} tokens at {speed} tokens/s, first words after {ms} ms</source>
        <translation>{title}：{tokens} 个 token，每秒 {speed} 个，首字用时 {ms} ms</translation>
    </message>
    <message>
        <source>{title}: {tokens} tokens at {speed} tokens/s</source>
        <translation>{title}：{tokens} 个 token，每秒 {speed} 个</translation>
    </message>
    <message>
        <source>{title}: stopped</source>
        <translation>{title}：已停止</translation>
    </message>
</context>
<context>
    <name>DocumentPane</name>
    <message>
        <source>Bold (Ctrl+B)</source>
        <translation>加粗（Ctrl+B）</translation>
    </message>
    <message>
        <source>Italic (Ctrl+I)</source>
        <translation>倾斜（Ctrl+I）</translation>
    </message>
    <message>
        <source>Heading 1</source>
        <translation>一级标题</translation>
    </message>
    <message>
        <source>Heading 2</source>
        <translation>二级标题</translation>
    </message>
    <message>
        <source>Body text</source>
        <translation>正文</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>文档</translation>
    </message>
    <message>
        <source>Start writing… then press Continue (Ctrl+Enter): the model writes on from the cursor.</source>
        <translation>开始写作…然后按“续写”（Ctrl+Enter）：模型会从光标处接着写。</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>续写</translation>
    </message>
    <message>
        <source>Write on from the cursor (Ctrl+Enter)</source>
        <translation>从光标处接着写（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>多个版本</translation>
    </message>
    <message>
        <source>Several continuations side by side</source>
        <translation>并列生成几种不同的续写</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop writing (Esc)</source>
        <translation>停止写作（Esc）</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>写作功能</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Click a result to insert it at the cursor</source>
        <translation>点击一条结果，把它插入到光标处</translation>
    </message>
    <message>
        <source>Click one to insert it at the cursor</source>
        <translation>点击一条，插入到光标处</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>Could not insert file</source>
        <translation>无法插入文件</translation>
    </message>
    <message>
        <source>{name} is too large to insert ({size} MB; at most {limit} MB).</source>
        <translation>{name} 太大，无法插入（{size} MB；最多 {limit} MB）。</translation>
    </message>
    <message>
        <source>{name} is not UTF-8 text, so it was not inserted.</source>
        <translation>{name} 不是 UTF-8 文本，没有插入。</translation>
    </message>
    <message>
        <source>Could not read {path}: {reason}.</source>
        <translation>无法读取 {path}：{reason}。</translation>
    </message>
    <message>
        <source>{words} words · {characters} characters</source>
        <translation>字数 {words} · 字符 {characters}</translation>
    </message>
    <message>
        <source>No text model is installed. Put a GGUF file into {folder}.</source>
        <translation>没有安装文本模型。请把 GGUF 文件放进 {folder}。</translation>
    </message>
    <message>
        <source>Cannot generate</source>
        <translation>无法生成</translation>
    </message>
    <message>
        <source>Write something first: Continue writes on from the text before the cursor.</source>
        <translation>请先写点什么：续写会接着光标前的文字往下写。</translation>
    </message>
    <message>
        <source>Write something first: variants continue the text before the cursor.</source>
        <translation>请先写点什么：多个版本都是接着光标前的文字往下写。</translation>
    </message>
    <message>
        <source>Greedy decoding gives the same text every time: untick Greedy to get variants.</source>
        <translation>贪心解码每次都写出同样的文字：取消勾选“贪心”才能得到多个版本。</translation>
    </message>
    <message>
        <source>{count} variants</source>
        <translation>多个版本（{count} 个）</translation>
    </message>
    <message>
        <source>“{action}” works on text: select some, or write some first.</source>
        <translation>“{action}”需要文字：请先选中一些，或先写一些。</translation>
    </message>
</context>
<context>
    <name>Downloads</name>
    <message>
        <source>Installed</source>
        <translation>已安装</translation>
    </message>
    <message>
        <source>{id} is being downloaded right now; cancel it there first.</source>
        <translation>{id} 正在下载中，请先在那里取消。</translation>
    </message>
    <message>
        <source>{path} already exists but is not a complete download of {name}; move it away first.</source>
        <translation>{path} 已存在，但不是 {name} 的完整下载，请先把它移走。</translation>
    </message>
    <message>
        <source>Connecting to the Hub…</source>
        <translation>正在连接 Hub…</translation>
    </message>
    <message>
        <source>the revision &apos;{revision}&apos; of {repo}</source>
        <translation>{repo} 的版本“{revision}”</translation>
    </message>
    <message>
        <source>The Hub did not say which commit &apos;{revision}&apos; of {repo} is.</source>
        <translation>Hub 没有说明 {repo} 的“{revision}”对应哪个提交。</translation>
    </message>
    <message>
        <source>{id}: {path} would be written outside the models folder; refused.</source>
        <translation>{id}：{path} 会被写到模型文件夹之外，已拒绝。</translation>
    </message>
    <message>
        <source>{path} of {repo}</source>
        <translation>{repo} 中的 {path}</translation>
    </message>
    <message>
        <source>{path} of {name} is {size} bytes on the Hub but the catalog expects {expected}: the file has changed, so nothing was downloaded.</source>
        <translation>{name} 的 {path} 在 Hub 上是 {size} 字节，但模型目录记录的是 {expected}：文件已经变了，所以没有下载任何内容。</translation>
    </message>
    <message>
        <source>{path} of {name} on the Hub is not the file the catalog names (sha256 differs), so nothing was downloaded.</source>
        <translation>Hub 上 {name} 的 {path} 与模型目录记录的文件不一致（sha256 不同），所以没有下载任何内容。</translation>
    </message>
    <message>
        <source>The Hub did not say how big {path} is, so its download could not be checked.</source>
        <translation>Hub 没有给出 {path} 的大小，因此无法校验这次下载。</translation>
    </message>
    <message>
        <source>the catalog</source>
        <translation>模型目录</translation>
    </message>
    <message>
        <source>the Hub</source>
        <translation>Hub</translation>
    </message>
    <message>
        <source>Downloading {name} failed after {attempts} attempts ({reason}); what was fetched is kept, try again later to continue.</source>
        <translation>下载 {name} 尝试了 {attempts} 次仍然失败（{reason}）；已下载的部分会保留，稍后再试即可接着下载。</translation>
    </message>
    <message>
        <source>{reason}; retrying in {seconds} s…</source>
        <translation>{reason}；{seconds} 秒后重试…</translation>
    </message>
    <message>
        <source>Not enough disk space for {name}: it needs {need} more, {free} are free in {folder}.</source>
        <translation>磁盘空间不足，无法下载 {name}：还需要 {need}，{folder} 只剩 {free}。</translation>
    </message>
    <message>
        <source>the Hub answered HTTP {status}</source>
        <translation>Hub 返回了 HTTP {status}</translation>
    </message>
    <message>
        <source>The Hub sent more than the {size} bytes {path} should have; the download was stopped.</source>
        <translation>Hub 发来的数据超过了 {path} 应有的 {size} 字节，下载已停止。</translation>
    </message>
    <message>
        <source>Downloading {name} failed after {attempts} attempts ({reason}); {size} of {path} are kept, try again later to continue.</source>
        <translation>下载 {name} 尝试了 {attempts} 次仍然失败（{reason}）；{path} 已下载的 {size} 会保留，稍后再试即可接着下载。</translation>
    </message>
    <message>
        <source>Checking what was already downloaded…</source>
        <translation>正在检查已下载的部分…</translation>
    </message>
    <message>
        <source>{path} arrived with {size} bytes instead of {expected}; it was deleted.</source>
        <translation>{path} 收到了 {size} 字节，而不是 {expected} 字节，已删除。</translation>
    </message>
    <message>
        <source>{path} of {name} failed its checksum (sha256 {actual}…, {source} says {expected}…): the file was deleted and the model was not installed.</source>
        <translation>{name} 的 {path} 校验失败（sha256 为 {actual}…，{source}记录的是 {expected}…）：文件已删除，模型没有安装。</translation>
    </message>
    <message>
        <source>The downloaded files of {name} do not form a {kind} model this app can load; the catalog entry is wrong. Nothing was installed.</source>
        <translation>下载的 {name} 文件不能组成本应用可加载的 {kind} 模型；模型目录中的条目有误。没有安装任何内容。</translation>
    </message>
    <message>
        <source>the connection failed</source>
        <translation>连接失败</translation>
    </message>
    <message>
        <source>the Hub stopped answering</source>
        <translation>Hub 没有响应</translation>
    </message>
    <message>
        <source>the connection was interrupted</source>
        <translation>连接中断</translation>
    </message>
    <message>
        <source>Downloads are switched off (HF_HUB_OFFLINE is set). The built-in models and models you import work without a network.</source>
        <translation>下载已关闭（设置了 HF_HUB_OFFLINE）。内置模型和你导入的模型无需联网即可使用。</translation>
    </message>
    <message>
        <source>The proxy refused the connection to {host}: {reason}.</source>
        <translation>代理拒绝了到 {host} 的连接：{reason}。</translation>
    </message>
    <message>
        <source>No network: {host} cannot be reached, so {name} cannot be downloaded now. The built-in models and models you import work without a network.</source>
        <translation>没有网络：无法连接 {host}，现在不能下载 {name}。内置模型和你导入的模型无需联网即可使用。</translation>
    </message>
    <message>
        <source>{repo} is gated on the Hub: accept its licence at https://huggingface.co/{repo} and log in (hf auth login) first.</source>
        <translation>{repo} 在 Hub 上需要授权：请先在 https://huggingface.co/{repo} 同意其许可证，并登录（hf auth login）。</translation>
    </message>
    <message>
        <source>The Hub has no repository {repo} (or it is private).</source>
        <translation>Hub 上没有仓库 {repo}（或它是私有的）。</translation>
    </message>
    <message>
        <source>The Hub repository {repo} has no revision &apos;{revision}&apos;.</source>
        <translation>Hub 仓库 {repo} 没有版本“{revision}”。</translation>
    </message>
    <message>
        <source>The Hub repository {repo} has no file {what}.</source>
        <translation>Hub 仓库 {repo} 中没有文件 {what}。</translation>
    </message>
    <message>
        <source>The Hub refused {what} (HTTP {status}).</source>
        <translation>Hub 拒绝了 {what}（HTTP {status}）。</translation>
    </message>
    <message>
        <source>Could not write {name} to disk: {reason}.</source>
        <translation>无法把 {name} 写入磁盘：{reason}。</translation>
    </message>
    <message>
        <source>Downloading {name} failed: {error}: {reason}</source>
        <translation>下载 {name} 失败：{error}：{reason}</translation>
    </message>
    <message>
        <source>{id} is already downloading.</source>
        <translation>{id} 已在下载中。</translation>
    </message>
    <message>
        <source>{id} is being downloaded by another AIGC Desktop window or `aigc` command.</source>
        <translation>另一个 AIGC Desktop 窗口或 `aigc` 命令正在下载 {id}。</translation>
    </message>
</context>
<context>
    <name>DragOut</name>
    <message>
        <source>Drag canvas</source>
        <translation>拖出画布</translation>
    </message>
    <message>
        <source>Drag the flattened canvas out as a PNG (or Alt+drag on the canvas)</source>
        <translation>把合并后的画布拖出为 PNG（也可以在画布上按住 Alt 拖动）</translation>
    </message>
    <message>
        <source>Drag document</source>
        <translation>拖出文档</translation>
    </message>
    <message>
        <source>Drag the document (or the selected text) out as a Markdown file</source>
        <translation>把文档（或选中的文字）拖出为 Markdown 文件</translation>
    </message>
</context>
<context>
    <name>EmbeddedModels</name>
    <message>
        <source>The package {package} is not installed; reinstall the app to get its text model.</source>
        <translation>没有安装软件包 {package}；请重新安装应用以获得它的文本模型。</translation>
    </message>
    <message>
        <source>Waiting for another AIGC Desktop window preparing {name}…</source>
        <translation>正在等待另一个 AIGC Desktop 窗口准备 {name}…</translation>
    </message>
    <message>
        <source>{name} is ready</source>
        <translation>{name} 已就绪</translation>
    </message>
    <message>
        <source>{name} could not be prepared in {parent}.</source>
        <translation>无法在 {parent} 中准备 {name}。</translation>
    </message>
    <message>
        <source>Preparing {name} (first use only)…</source>
        <translation>正在准备 {name}（仅首次使用）…</translation>
    </message>
    <message>
        <source>Preparing {name}…</source>
        <translation>正在准备 {name}…</translation>
    </message>
    <message>
        <source>The package {package} is damaged (sha256 mismatch); reinstall it.</source>
        <translation>软件包 {package} 已损坏（sha256 不匹配），请重新安装。</translation>
    </message>
    <message>
        <source>Not enough disk space in {folder}: {name} needs {need}, {free} are free.</source>
        <translation>{folder} 的磁盘空间不足：{name} 需要 {need}，只剩 {free}。</translation>
    </message>
</context>
<context>
    <name>Engine</name>
    <message>
        <source>This engine needs the models folder, and its driver gave none.</source>
        <translation>此引擎需要模型文件夹，但调用方没有提供。</translation>
    </message>
    <message>
        <source>No engine can run {kind} models of backend &apos;{backend}&apos; yet.</source>
        <translation>暂时没有引擎能运行后端为“{backend}”的 {kind} 模型。</translation>
    </message>
    <message>
        <source>Hardware check</source>
        <translation>硬件检测</translation>
    </message>
    <message>
        <source>Image trainer (DCGAN / VAE)</source>
        <translation>图像训练器（DCGAN / VAE）</translation>
    </message>
    <message>
        <source>Style trainer (LoRA)</source>
        <translation>风格训练器（LoRA）</translation>
    </message>
    <message>
        <source>Loading {name}…</source>
        <translation>正在加载 {name}…</translation>
    </message>
    <message>
        <source>Hardware check {done}/{total}</source>
        <translation>硬件检测 {done}/{total}</translation>
    </message>
</context>
<context>
    <name>FindBox</name>
    <message>
        <source>Find (Ctrl+F), Enter for next</source>
        <translation>查找（Ctrl+F），回车找下一个</translation>
    </message>
    <message>
        <source>Enter: next match · Shift+Enter: previous match</source>
        <translation>回车：下一个 · Shift+回车：上一个</translation>
    </message>
    <message>
        <source>“{text}” is not in the document</source>
        <translation>文档中没有“{text}”</translation>
    </message>
</context>
<context>
    <name>Fit</name>
    <message>
        <source>{gpu} with {vram} of GPU memory</source>
        <translation>{gpu}，显存 {vram}</translation>
    </message>
    <message>
        <source>no GPU</source>
        <translation>没有 GPU</translation>
    </message>
    <message>
        <source>This machine: {ram} RAM ({free} free), {gpu}, {disk} free for models.</source>
        <translation>本机：内存 {ram}（可用 {free}），{gpu}，模型可用磁盘空间 {disk}。</translation>
    </message>
    <message>
        <source>Needs {need} of disk space for the download; {free} are free in the models folder.</source>
        <translation>下载需要 {need} 磁盘空间；模型文件夹只剩 {free}。</translation>
    </message>
    <message>
        <source>Runs on the GPU: needs about {need} of GPU memory, {gpu} has {vram}.</source>
        <translation>在 GPU 上运行：需要约 {need} 显存，{gpu} 有 {vram}。</translation>
    </message>
    <message>
        <source> ({gpu} has {vram} of GPU memory, it needs {need})</source>
        <translation>（{gpu} 有 {vram} 显存，它需要 {need}）</translation>
    </message>
    <message>
        <source>Needs about {need} of RAM to run on the CPU; this machine has {ram}{gpu_note}.</source>
        <translation>在 CPU 上运行需要约 {need} 内存；本机只有 {ram}{gpu_note}。</translation>
    </message>
    <message>
        <source>Needs about {need} of RAM; {free} of {ram} are free now: close other programs before using it{gpu_note}.</source>
        <translation>需要约 {need} 内存；现在 {ram} 中只有 {free} 可用：使用前请关闭其他程序{gpu_note}。</translation>
    </message>
    <message>
        <source>Fits in RAM ({need} of {ram}) but has no usable GPU{gpu_note}: each result takes minutes on the CPU.</source>
        <translation>内存够用（{ram} 中需要 {need}），但没有可用的 GPU{gpu_note}：在 CPU 上每次生成要几分钟。</translation>
    </message>
    <message>
        <source>Runs on the CPU: needs about {need} of RAM, this machine has {ram}{gpu_note}.</source>
        <translation>在 CPU 上运行：需要约 {need} 内存，本机有 {ram}{gpu_note}。</translation>
    </message>
</context>
<context>
    <name>Hardware</name>
    <message>
        <source>NVIDIA GPU (CUDA)</source>
        <translation>NVIDIA 显卡（CUDA）</translation>
    </message>
    <message>
        <source>CPU only</source>
        <translation>仅用处理器（CPU）</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>image</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>speech</source>
        <translation>语音</translation>
    </message>
    <message>
        <source>music</source>
        <translation>音乐</translation>
    </message>
    <message>
        <source>training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>system</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>{label}: {value}</source>
        <translation>{label}：{value}</translation>
    </message>
    <message>
        <source>kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>model on the server</source>
        <translation>服务器上的模型</translation>
    </message>
    <message>
        <source>style</source>
        <translation>风格</translation>
    </message>
    <message>
        <source>licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>input {name}</source>
        <translation>输入 {name}</translation>
    </message>
    <message>
        <source>param {name}</source>
        <translation>参数 {name}</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Job spec</source>
        <translation>任务参数</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Go to output</source>
        <translation>转到输出</translation>
    </message>
    <message>
        <source>Show the pane holding this generation&apos;s output and select it</source>
        <translation>切换到存放这次生成结果的面板，并选中它</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Run this generation again, exactly (same inputs, settings and seed)</source>
        <translation>按完全相同的输入、设置和种子，再生成一次</translation>
    </message>
    <message>
        <source>Use its settings</source>
        <translation>使用它的设置</translation>
    </message>
    <message>
        <source>Copy this generation&apos;s settings into its pane</source>
        <translation>把这次生成的设置填回它所在的面板</translation>
    </message>
    <message>
        <source>licence unknown</source>
        <translation>许可证未知</translation>
    </message>
    <message>
        <source>{model_id} ({licence_name})</source>
        <translation>{model_id}（{licence_name}）</translation>
    </message>
    <message>
        <source>Select a generation to see its job spec and output.</source>
        <translation>选择一条生成记录，查看它的任务参数和输出。</translation>
    </message>
    <message>
        <source>clip “{name}” ({length})</source>
        <translation>片段“{name}”（{length}）</translation>
    </message>
    <message>
        <source>layer “{name}”</source>
        <translation>图层“{name}”</translation>
    </message>
    <message>
        <source>story picture “{name}”</source>
        <translation>故事图片“{name}”</translation>
    </message>
    <message>
        <source>(deleted since)</source>
        <translation>（之后已删除）</translation>
    </message>
</context>
<context>
    <name>HistoryTab</name>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Run the selected generation again, exactly (same prompt, settings and seed)</source>
        <translation>原样再生成一次选中的记录（相同的提示词、设置和种子）</translation>
    </message>
    <message>
        <source>Use its settings</source>
        <translation>套用它的设置</translation>
    </message>
    <message>
        <source>Copy the selected generation&apos;s settings into the Settings tab</source>
        <translation>把选中记录的设置复制到“设置”页</translation>
    </message>
    <message>
        <source>{time} · {what} · seed {seed} · {status}
{summary}</source>
        <translation>{time} · {what} · 种子 {seed} · {status}
{summary}</translation>
    </message>
    <message>
        <source>{time} · {what} on {server} ({model}) · seed {seed} · {status}
{summary}</source>
        <translation>{time} · {what}，在 {server}（{model}）上 · 种子 {seed} · {status}
{summary}</translation>
    </message>
</context>
<context>
    <name>IllustrateDialog</name>
    <message>
        <source>Illustrate</source>
        <translation>配图</translation>
    </message>
    <message>
        <source>A picture for the paragraph:</source>
        <translation>为这一段配图：</translation>
    </message>
    <message>
        <source>Image prompt (edit it as you like):</source>
        <translation>图像提示词（可随意修改）：</translation>
    </message>
    <message>
        <source>e.g. a fox asleep in the snow, dawn light</source>
        <translation>例如：a fox asleep in the snow, dawn light</translation>
    </message>
    <message>
        <source>Painted by {model} on the Canvas, as a new layer.</source>
        <translation>由 {model} 画在画布上，作为一个新图层。</translation>
    </message>
    <message>
        <source>Paint on the Canvas</source>
        <translation>画到画布上</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ImageGeneration</name>
    <message>
        <source>Text to image</source>
        <translation>文生图</translation>
    </message>
    <message>
        <source>Variations of the layer (img2img)</source>
        <translation>图层变体（图生图）</translation>
    </message>
    <message>
        <source>Inpaint the painted mask</source>
        <translation>局部重绘所画的蒙版</translation>
    </message>
    <message>
        <source>Outpaint: extend the canvas</source>
        <translation>扩图：扩展画布</translation>
    </message>
    <message>
        <source>Upscale the layer</source>
        <translation>放大图层</translation>
    </message>
    <message>
        <source>Restyle the layer like a reference</source>
        <translation>参照参考图对图层做风格迁移</translation>
    </message>
    <message>
        <source>Interpolate between two layers</source>
        <translation>在两个图层之间插值</translation>
    </message>
    <message>
        <source>No image model is installed. Open Models… to add one, or train one on your pictures.</source>
        <translation>尚未安装图像模型。请打开“模型…”添加一个，或用你自己的图片训练一个。</translation>
    </message>
    <message>
        <source>Illustrate</source>
        <translation>配图</translation>
    </message>
    <message>
        <source>Paint a mask over the part to repaint (Mask tool), or select it, first.</source>
        <translation>请先在要重绘的部分上画蒙版（蒙版工具），或把它选中。</translation>
    </message>
    <message>
        <source>Write a prompt for the picture first.</source>
        <translation>请先为图片写一个提示词。</translation>
    </message>
    <message>
        <source>Select a layer to start from (or import a picture) first.</source>
        <translation>请先选择作为起点的图层（或导入一张图片）。</translation>
    </message>
    <message>
        <source>Pick the second image: a layer or a file.</source>
        <translation>请选择第二张图片：一个图层或一个文件。</translation>
    </message>
    <message>
        <source>{name} ×{factor} (Lanczos)</source>
        <translation>{name} ×{factor}（Lanczos）</translation>
    </message>
    <message>
        <source>Upscaled ×{factor} with Lanczos (no upscaler model installed: not AI, just resampling).</source>
        <translation>已用 Lanczos 放大 ×{factor}（未安装放大模型：不是 AI，只是重采样）。</translation>
    </message>
    <message>
        <source>{title}: waiting for the model…</source>
        <translation>{title}：正在等待模型…</translation>
    </message>
    <message>
        <source>The input image of this generation is gone: {path}</source>
        <translation>这次生成的输入图片已不存在：{path}</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Stopped preview</source>
        <translation>停止时的预览</translation>
    </message>
    <message>
        <source>{title}: {count} layer(s)</source>
        <translation>{title}：{count} 个图层</translation>
    </message>
    <message>
        <source>{title}: step {step}/{total} (image {index}/{batch})</source>
        <translation>{title}：第 {step}/{total} 步（第 {index}/{batch} 张）</translation>
    </message>
    <message>
        <source>{title}: step {step}/{total}</source>
        <translation>{title}：第 {step}/{total} 步</translation>
    </message>
    <message>
        <source>{title}: {message}</source>
        <translation>{title}：{message}</translation>
    </message>
    <message>
        <source>{count} image(s) {size}, {mode}</source>
        <translation>{count} 张图片 {size}，{mode}</translation>
    </message>
    <message>
        <source>{title}: {count} image(s) in {seconds} s ({per_step} s/step) with {method}</source>
        <translation>{title}：{count} 张图片，用时 {seconds} 秒（每步 {per_step} 秒），方法：{method}</translation>
    </message>
    <message>
        <source>{first}; {rest}</source>
        <translation>{first}；{rest}</translation>
    </message>
    <message>
        <source>{status} — {notes}</source>
        <translation>{status}——{notes}</translation>
    </message>
    <message>
        <source>{title} failed: {message}</source>
        <translation>{title}失败：{message}</translation>
    </message>
    <message>
        <source>{title}: stopped. The last preview stays on the canvas; keep it as a layer or not.</source>
        <translation>{title}：已停止。最后的预览留在画布上，可以保留为图层，也可以不要。</translation>
    </message>
    <message>
        <source>{title}: stopped before the first step.</source>
        <translation>{title}：在第一步之前就停止了。</translation>
    </message>
</context>
<context>
    <name>ImageJob</name>
    <message>
        <source>Model default</source>
        <translation>模型默认</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Fastest (whole model on the GPU)</source>
        <translation>最快（整个模型放在 GPU 上）</translation>
    </message>
    <message>
        <source>Attention slicing (less memory, a little slower)</source>
        <translation>注意力切片（省显存，稍慢）</translation>
    </message>
    <message>
        <source>Model CPU offload (least memory, slower)</source>
        <translation>模型 CPU 卸载（最省显存，较慢）</translation>
    </message>
    <message>
        <source>Unknown mode &apos;{mode}&apos; (one of {modes}).</source>
        <translation>未知模式“{mode}”（可选：{modes}）。</translation>
    </message>
    <message>
        <source>Steps must be between 1 and {high}.</source>
        <translation>步数必须在 1 到 {high} 之间。</translation>
    </message>
    <message>
        <source>Guidance must be between 0 and 30.</source>
        <translation>引导系数必须在 0 到 30 之间。</translation>
    </message>
    <message>
        <source>Width must be a multiple of {multiple} from {low} to {high}.</source>
        <translation>宽度必须是 {multiple} 的倍数，且在 {low} 到 {high} 之间。</translation>
    </message>
    <message>
        <source>Height must be a multiple of {multiple} from {low} to {high}.</source>
        <translation>高度必须是 {multiple} 的倍数，且在 {low} 到 {high} 之间。</translation>
    </message>
    <message>
        <source>The batch count must be between 1 and {high}.</source>
        <translation>生成张数必须在 1 到 {high} 之间。</translation>
    </message>
    <message>
        <source>Unknown scheduler &apos;{name}&apos; (one of {names}).</source>
        <translation>未知采样器“{name}”（可选：{names}）。</translation>
    </message>
    <message>
        <source>Strength must be more than 0 and at most 1.</source>
        <translation>重绘强度必须大于 0 且不超过 1。</translation>
    </message>
    <message>
        <source>The upscale factor must be 2 or 4.</source>
        <translation>放大倍数必须是 2 或 4。</translation>
    </message>
    <message>
        <source>Unknown memory setting &apos;{name}&apos; (one of {names}).</source>
        <translation>未知显存设置“{name}”（可选：{names}）。</translation>
    </message>
    <message>
        <source>Bad image parameters: {reason}</source>
        <translation>图像参数有误：{reason}</translation>
    </message>
    <message>
        <source>{mode} needs an image to start from (select a layer, or pass --init).</source>
        <translation>{mode} 需要一张起始图片（选择一个图层，或传入 --init）。</translation>
    </message>
    <message>
        <source>Inpainting needs a mask: paint one on the canvas, make a selection, or pass --mask.</source>
        <translation>局部重绘需要蒙版：在画布上画一个、建立选区，或传入 --mask。</translation>
    </message>
    <message>
        <source>Style transfer needs a reference image for the style.</source>
        <translation>风格迁移需要一张风格参考图。</translation>
    </message>
    <message>
        <source>Interpolation needs two images: where to start and where to end.</source>
        <translation>插值需要两张图片：起点和终点。</translation>
    </message>
    <message>
        <source>The seed must be a whole number from 0 to {high}.</source>
        <translation>种子必须是 0 到 {high} 之间的整数。</translation>
    </message>
    <message>
        <source>{first} {rest}</source>
        <translation>{first}{rest}</translation>
    </message>
</context>
<context>
    <name>ImageModels</name>
    <message>
        <source>{name} holds no Stable Diffusion UNet (no {tensor}): it may be a LoRA, a VAE or an embedding, which cannot generate images on its own.</source>
        <translation>{name} 中没有 Stable Diffusion UNet（缺少 {tensor}）：它可能是 LoRA、VAE 或嵌入（embedding），无法单独生成图片。</translation>
    </message>
    <message>
        <source>{name} has a UNet without cross-attention, which is not a Stable Diffusion model.</source>
        <translation>{name} 的 UNet 没有交叉注意力，不是 Stable Diffusion 模型。</translation>
    </message>
    <message>
        <source>{name} is a single-file {family} checkpoint, which carries no configuration; to load it offline, install a {family} model in diffusers format (a folder with model_index.json, e.g. {example}) in {folder} and it will be used for the configuration.</source>
        <translation>{name} 是单文件的 {family} 检查点，不带配置；要离线加载它，请在 {folder} 中安装一个 diffusers 格式的 {family} 模型（含 model_index.json 的文件夹，例如 {example}），程序会用它的配置。</translation>
    </message>
</context>
<context>
    <name>ImageOps</name>
    <message>
        <source>The upscale factor must be at least 1.</source>
        <translation>放大倍数至少为 1。</translation>
    </message>
    <message>
        <source>The mask is {mask_width}×{mask_height} pixels but the image is {width}×{height}; they must be the same size.</source>
        <translation>蒙版是 {mask_width}×{mask_height} 像素，而图片是 {width}×{height}；两者必须一样大。</translation>
    </message>
    <message>
        <source>Nothing to outpaint: extend the canvas first; its new transparent border is what gets painted.</source>
        <translation>没有可扩图的区域：请先扩展画布，新加的透明边框就是要画的部分。</translation>
    </message>
    <message>
        <source>Nothing to outpaint from: the image is fully transparent (use text-to-image instead).</source>
        <translation>没有可供扩图的内容：图片完全透明（请改用文生图）。</translation>
    </message>
</context>
<context>
    <name>ImagePanel</name>
    <message>
        <source>No image model installed: upscaling uses Lanczos. Install a diffusion model with Models… or train one on your own pictures.</source>
        <translation>未安装图像模型：放大将使用 Lanczos。可通过“模型…”安装扩散模型，或用你自己的图片训练一个。</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Negative</source>
        <translation>反向提示词</translation>
    </message>
    <message>
        <source>Size (px)</source>
        <translation>尺寸（px）</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Guidance</source>
        <translation>引导系数</translation>
    </message>
    <message>
        <source>Sampler</source>
        <translation>采样器</translation>
    </message>
    <message>
        <source>Strength</source>
        <translation>重绘强度</translation>
    </message>
    <message>
        <source>Factor</source>
        <translation>倍数</translation>
    </message>
    <message>
        <source>Extend</source>
        <translation>扩展</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>参考图</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>张数</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>What the picture shows, e.g. “a lighthouse at dusk, oil painting”</source>
        <translation>画面内容，例如“黄昏的灯塔，油画”</translation>
    </message>
    <message>
        <source>What to avoid, e.g. “blurry, text, watermark”</source>
        <translation>不想出现的内容，例如“模糊、文字、水印”</translation>
    </message>
    <message>
        <source>Canvas</source>
        <translation>画布</translation>
    </message>
    <message>
        <source>Use the canvas size (rounded to a multiple of 8)</source>
        <translation>使用画布尺寸（取整到 8 的倍数）</translation>
    </message>
    <message>
        <source>How much of the source is repainted: low keeps it, 1 repaints everything</source>
        <translation>原图被重绘的程度：数值低则保留原图，1 则全部重绘</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>左边</translation>
    </message>
    <message>
        <source>Top</source>
        <translation>上边</translation>
    </message>
    <message>
        <source>Right</source>
        <translation>右边</translation>
    </message>
    <message>
        <source>Bottom</source>
        <translation>下边</translation>
    </message>
    <message>
        <source>The style reference (style) or the end image (interpolate)</source>
        <translation>风格参考图（风格迁移）或结束图片（插值）</translation>
    </message>
    <message>
        <source>File…</source>
        <translation>文件…</translation>
    </message>
    <message>
        <source>Pick an image file as the style reference</source>
        <translation>选择一个图片文件作为风格参考图</translation>
    </message>
    <message>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Memory savers for small GPUs (CPUs ignore this)</source>
        <translation>为显存小的 GPU 节省显存（CPU 上无效）</translation>
    </message>
    <message>
        <source>Show a preview every step</source>
        <translation>每一步都显示预览</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop at the next step; the last preview stays on the canvas</source>
        <translation>在下一步停止；最后的预览会留在画布上</translation>
    </message>
    <message>
        <source>Keep preview as layer</source>
        <translation>将预览保留为图层</translation>
    </message>
    <message>
        <source>Make the preview of a stopped generation a layer</source>
        <translation>把已停止的生成留下的预览变成图层</translation>
    </message>
    <message>
        <source>{model} cannot do this</source>
        <translation>模型 {model} 不支持此模式</translation>
    </message>
    <message>
        <source>Frames between the two layers</source>
        <translation>两个图层之间的帧数</translation>
    </message>
    <message>
        <source>Images to make</source>
        <translation>要生成的张数</translation>
    </message>
    <message>
        <source>File: {name}</source>
        <translation>文件：{name}</translation>
    </message>
    <message>
        <source>Layer: {name}</source>
        <translation>图层：{name}</translation>
    </message>
    <message>
        <source>Style reference</source>
        <translation>风格参考图</translation>
    </message>
    <message>
        <source>Images ({patterns})</source>
        <translation>图片 ({patterns})</translation>
    </message>
    <message>
        <source>{model} cannot do “{mode}”.</source>
        <translation>模型 {model} 无法执行“{mode}”。</translation>
    </message>
    <message>
        <source>Cannot generate</source>
        <translation>无法生成</translation>
    </message>
</context>
<context>
    <name>ImageRegions</name>
    <message>
        <source>The mask is empty: paint over the part of the picture to repaint first.</source>
        <translation>蒙版是空的：请先在图片中要重绘的部分上涂抹。</translation>
    </message>
    <message>
        <source>The canvas is smaller than {side}×{side} pixels; make it bigger to inpaint.</source>
        <translation>画布小于 {side}×{side} 像素；请把画布扩大后再局部重绘。</translation>
    </message>
</context>
<context>
    <name>ImageSteps</name>
    <message>
        <source>Image {index}/{batch}: step {step}/{total}</source>
        <translation>第 {index}/{batch} 张：第 {step}/{total} 步</translation>
    </message>
    <message>
        <source>Step {step}/{total}</source>
        <translation>第 {step}/{total} 步</translation>
    </message>
</context>
<context>
    <name>ImportTab</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Backend</source>
        <translation>后端</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Found in</source>
        <translation>位置来源</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>路径</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Import a model you already have</source>
        <translation>导入你已有的模型</translation>
    </message>
    <message>
        <source>A GGUF file, a Piper voice (.onnx with its .onnx.json), a diffusers folder (model_index.json), a single .safetensors Stable Diffusion checkpoint, or a transformers folder (config.json). Pickle files (.bin/.ckpt/.pt/.pth) are imported but stay blocked until you allow them under Installed.</source>
        <translation>支持 GGUF 文件、Piper 音色（.onnx 及其 .onnx.json）、diffusers 文件夹（model_index.json）、单个 .safetensors 格式的 Stable Diffusion 检查点，或 transformers 文件夹（config.json）。pickle 文件（.bin/.ckpt/.pt/.pth）可以导入，但在“已安装”中允许之前不会加载。</translation>
    </message>
    <message>
        <source>Copy it into my models folder</source>
        <translation>复制到我的模型文件夹</translation>
    </message>
    <message>
        <source>Use it where it is (nothing is copied)</source>
        <translation>在原位置使用（不复制）</translation>
    </message>
    <message>
        <source>Import a file…</source>
        <translation>导入文件…</translation>
    </message>
    <message>
        <source>Import a folder…</source>
        <translation>导入文件夹…</translation>
    </message>
    <message>
        <source>Found on this computer</source>
        <translation>在这台电脑上找到的模型</translation>
    </message>
    <message>
        <source>Use in place</source>
        <translation>在原位置使用</translation>
    </message>
    <message>
        <source>Copy into my models</source>
        <translation>复制到我的模型</translation>
    </message>
    <message>
        <source>Search again</source>
        <translation>重新搜索</translation>
    </message>
    <message>
        <source>Add a folder to search…</source>
        <translation>添加要搜索的文件夹…</translation>
    </message>
    <message>
        <source>Import a model file</source>
        <translation>导入模型文件</translation>
    </message>
    <message>
        <source>Models (*.gguf *.onnx *.safetensors *.ckpt *.pt *.pth);;All files (*)</source>
        <translation>模型 (*.gguf *.onnx *.safetensors *.ckpt *.pt *.pth);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Import a model folder</source>
        <translation>导入模型文件夹</translation>
    </message>
    <message>
        <source>Another import is still running; wait for it to finish.</source>
        <translation>另一项导入还在进行，请等它完成。</translation>
    </message>
    <message>
        <source>Linking {path}…</source>
        <translation>正在链接 {path}…</translation>
    </message>
    <message>
        <source>Copying {path}…</source>
        <translation>正在复制 {path}…</translation>
    </message>
    <message>
        <source>The import was stopped; nothing was added.</source>
        <translation>导入已停止，没有添加任何内容。</translation>
    </message>
    <message>
        <source>Checking the files…</source>
        <translation>正在检查文件…</translation>
    </message>
    <message>
        <source>Copying {name}: {done} of {total}</source>
        <translation>正在复制 {name}：{done} / {total}</translation>
    </message>
    <message>
        <source>{name} ({kind}, {backend})</source>
        <translation>{name}（{kind}，{backend}）</translation>
    </message>
    <message>
        <source>Added {names}.</source>
        <translation>已添加 {names}。</translation>
    </message>
    <message>
        <source>Added {names}. {blocked}: pickle weights stay blocked until you allow them under Installed.</source>
        <translation>已添加 {names}。{blocked}：pickle 权重在“已安装”中允许之前不会加载。</translation>
    </message>
    <message>
        <source>Add a folder to search for models</source>
        <translation>添加要搜索模型的文件夹</translation>
    </message>
    <message>
        <source>in use as {id}</source>
        <translation>已作为 {id} 使用</translation>
    </message>
    <message>
        <source>pickle: blocked until allowed</source>
        <translation>pickle：允许前不会加载</translation>
    </message>
    <message>
        <source>Searching the Hugging Face cache, LM Studio, ComfyUI and web UI folders…</source>
        <translation>正在搜索 Hugging Face 缓存、LM Studio、ComfyUI 和 web UI 的文件夹…</translation>
    </message>
    <message numerus="yes">
        <source>%n model(s) found on this computer. Use one where it is, or copy it.</source>
        <translation>
            <numerusform>在这台电脑上找到 %n 个模型。可以在原位置使用，也可以复制一份。</numerusform>
        </translation>
    </message>
    <message>
        <source>No models found in the Hugging Face cache, LM Studio, ComfyUI or web UI folders. Add a folder to search, or import a file or folder above.</source>
        <translation>在 Hugging Face 缓存、LM Studio、ComfyUI 和 web UI 的文件夹中都没有找到模型。可以添加要搜索的文件夹，或在上方导入文件或文件夹。</translation>
    </message>
    <message>
        <source>Searching failed: {error}</source>
        <translation>搜索失败：{error}</translation>
    </message>
    <message>
        <source>Models in the Hugging Face cache, LM Studio, ComfyUI and the Stable Diffusion web UI can be used where they are.</source>
        <translation>Hugging Face 缓存、LM Studio、ComfyUI 和 Stable Diffusion web UI 中的模型可以在原位置直接使用。</translation>
    </message>
    <message>
        <source>Select a model in the list first.</source>
        <translation>请先在列表中选择一个模型。</translation>
    </message>
    <message>
        <source>{name} is already in use as {id}.</source>
        <translation>{name} 已作为 {id} 使用。</translation>
    </message>
</context>
<context>
    <name>Importer</name>
    <message>
        <source>{source} does not exist.</source>
        <translation>{source} 不存在。</translation>
    </message>
    <message>
        <source>{source} is neither a file nor a folder.</source>
        <translation>{source} 既不是文件也不是文件夹。</translation>
    </message>
    <message>
        <source>{source} is already inside the models folder; it is listed as it is.</source>
        <translation>{source} 已在模型文件夹中，会按原样列出。</translation>
    </message>
    <message>
        <source>{file} is a lone .bin file: import the folder it belongs to (with its config.json) instead.</source>
        <translation>{file} 是单独的 .bin 文件：请改为导入它所在的文件夹（含 config.json）。</translation>
    </message>
    <message>
        <source>{file} is not a model file this app can use (GGUF, Piper .onnx, .safetensors or a .ckpt checkpoint).</source>
        <translation>{file} 不是本应用能用的模型文件（GGUF、Piper .onnx、.safetensors 或 .ckpt 检查点）。</translation>
    </message>
    <message>
        <source>{file} is not a model this app can load.</source>
        <translation>{file} 不是本应用能加载的模型。</translation>
    </message>
    <message>
        <source>{file} is named .gguf but is not a GGUF file (it starts with {start}).</source>
        <translation>{file} 的扩展名是 .gguf，但它不是 GGUF 文件（开头是 {start}）。</translation>
    </message>
    <message>
        <source>{file} is a GGUF file of version {version}, which llama.cpp does not read.</source>
        <translation>{file} 是第 {version} 版的 GGUF 文件，llama.cpp 无法读取。</translation>
    </message>
    <message>
        <source>{file} is split into parts and {parts} is missing beside it.</source>
        <translation>{file} 被拆分成多个部分，旁边缺少 {parts}。</translation>
    </message>
    <message>
        <source>A Piper voice needs its config {config} beside {file}; it is missing.</source>
        <translation>Piper 音色需要在 {file} 旁边放置配置文件 {config}，但找不到它。</translation>
    </message>
    <message>
        <source>{config} is not valid JSON ({reason}).</source>
        <translation>{config} 不是有效的 JSON（{reason}）。</translation>
    </message>
    <message>
        <source>{config} is not a Piper voice config (it has no phoneme_id_map).</source>
        <translation>{config} 不是 Piper 音色的配置文件（没有 phoneme_id_map）。</translation>
    </message>
    <message>
        <source>{file} is empty.</source>
        <translation>{file} 是空文件。</translation>
    </message>
    <message>
        <source>{file} is too short to be a safetensors file.</source>
        <translation>{file} 太短，不是 safetensors 文件。</translation>
    </message>
    <message>
        <source>{file} is not a valid safetensors file (its header length is damaged).</source>
        <translation>{file} 不是有效的 safetensors 文件（文件头长度已损坏）。</translation>
    </message>
    <message>
        <source>{file} is not a valid safetensors file (its header is not JSON).</source>
        <translation>{file} 不是有效的 safetensors 文件（文件头不是 JSON）。</translation>
    </message>
    <message>
        <source>{file} is not a valid safetensors file.</source>
        <translation>{file} 不是有效的 safetensors 文件。</translation>
    </message>
    <message>
        <source>{file} is cut short: its header describes {data_end} bytes of tensors, the file holds {held}. Download it again.</source>
        <translation>{file} 不完整：文件头描述了 {data_end} 字节的张量，文件里只有 {held}。请重新下载。</translation>
    </message>
    <message>
        <source>{file} is a safetensors file but not a Stable Diffusion checkpoint (its tensors are named like &apos;{example}&apos;); import the folder it belongs to instead.</source>
        <translation>{file} 是 safetensors 文件，但不是 Stable Diffusion 检查点（其张量名类似“{example}”）；请改为导入它所在的文件夹。</translation>
    </message>
    <message>
        <source>{folder} is not a model this app can load.</source>
        <translation>{folder} 不是本应用能加载的模型。</translation>
    </message>
    <message>
        <source>No model found in {folder}: expected a GGUF file, a Piper voice (.onnx + .onnx.json), a diffusers folder (model_index.json), a .safetensors checkpoint or a transformers folder (config.json).</source>
        <translation>{folder} 中没有找到模型：需要 GGUF 文件、Piper 音色（.onnx + .onnx.json）、diffusers 文件夹（model_index.json）、.safetensors 检查点或 transformers 文件夹（config.json）。</translation>
    </message>
    <message>
        <source>{folder} has a model_index.json that names no components; it is not a diffusers model.</source>
        <translation>{folder} 的 model_index.json 没有列出任何组件；它不是 diffusers 模型。</translation>
    </message>
    <message>
        <source>{folder} claims a diffusers &apos;{name}&apos; (model_index.json) but has no {name}/ folder.</source>
        <translation>{folder} 声明了 diffusers 组件“{name}”（model_index.json），但没有 {name}/ 文件夹。</translation>
    </message>
    <message>
        <source>{folder} claims a diffusers &apos;{name}&apos; but {name}/ holds no weights.</source>
        <translation>{folder} 声明了 diffusers 组件“{name}”，但 {name}/ 中没有权重。</translation>
    </message>
    <message>
        <source>{folder}: config.json says model_type &apos;{model_type}&apos; (architectures: {architectures}), which is not a text, speech or music model this app runs.</source>
        <translation>{folder}：config.json 写的是 model_type“{model_type}”（架构：{architectures}），不是本应用能运行的文本、语音或音乐模型。</translation>
    </message>
    <message>
        <source>{folder} has a config.json but no weights (model.safetensors or pytorch_model.bin, or their shards).</source>
        <translation>{folder} 有 config.json，但没有模型权重（model.safetensors 或 pytorch_model.bin，或它们的分片）。</translation>
    </message>
    <message>
        <source>{folder} has weights but no tokenizer files (tokenizer.json, vocab.json, …).</source>
        <translation>{folder} 有权重，但没有分词器文件（tokenizer.json、vocab.json 等）。</translation>
    </message>
    <message>
        <source>{folder} lists weight shards that are missing: {files}.</source>
        <translation>{folder} 列出的权重分片缺失：{files}。</translation>
    </message>
    <message>
        <source>{parent}/{path} is not valid JSON ({reason}).</source>
        <translation>{parent}/{path} 不是有效的 JSON（{reason}）。</translation>
    </message>
    <message>
        <source>{parent}/{path} is not a JSON object.</source>
        <translation>{parent}/{path} 不是 JSON 对象。</translation>
    </message>
    <message>
        <source>Not enough disk space to copy {label}: it needs {need}, {free} are free.</source>
        <translation>磁盘空间不足，无法复制 {label}：需要 {need}，只剩 {free}。</translation>
    </message>
    <message>
        <source>{label} was copied to {target} but is not listed as a model; see the log.</source>
        <translation>{label} 已复制到 {target}，但没有作为模型列出；请查看日志。</translation>
    </message>
</context>
<context>
    <name>InstalledModels</name>
    <message>
        <source>{path} is already in your models (as {id}).</source>
        <translation>{path} 已在你的模型中（作为 {id}）。</translation>
    </message>
    <message>
        <source>{name} is built into the app and cannot be removed.</source>
        <translation>{name} 是应用内置的模型，不能移除。</translation>
    </message>
    <message>
        <source>{id} is not among the linked models.</source>
        <translation>{id} 不在已链接的模型中。</translation>
    </message>
    <message>
        <source>Stopped using {name}; its files in {path} were left as they are.</source>
        <translation>已停止使用 {name}；它在 {path} 的文件保持原样。</translation>
    </message>
    <message>
        <source>{name} is not in the models folder ({root}); nothing was removed.</source>
        <translation>{name} 不在模型文件夹（{root}）中，没有移除任何内容。</translation>
    </message>
    <message>
        <source>Removed {name} ({path}).</source>
        <translation>已移除 {name}（{path}）。</translation>
    </message>
</context>
<context>
    <name>InstalledTab</name>
    <message>
        <source>Document</source>
        <translation>文档</translation>
    </message>
    <message>
        <source>Canvas</source>
        <translation>画布</translation>
    </message>
    <message>
        <source>Audio (speech)</source>
        <translation>音频（朗读）</translation>
    </message>
    <message>
        <source>Audio (music)</source>
        <translation>音频（音乐）</translation>
    </message>
    <message>
        <source>built in</source>
        <translation>内置</translation>
    </message>
    <message>
        <source>downloaded</source>
        <translation>已下载</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <source>linked (in place)</source>
        <translation>已链接（原位置）</translation>
    </message>
    <message>
        <source>your style</source>
        <translation>你的风格</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Backend</source>
        <translation>后端</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Default for</source>
        <translation>默认用于</translation>
    </message>
    <message>
        <source>Safety</source>
        <translation>安全性</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>路径</translation>
    </message>
    <message>
        <source>Set as default for its pane</source>
        <translation>设为所属面板的默认模型</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>移除…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>pickle: allowed</source>
        <translation>pickle：已允许</translation>
    </message>
    <message>
        <source>pickle: blocked</source>
        <translation>pickle：已阻止</translation>
    </message>
    <message>
        <source>safe format</source>
        <translation>安全格式</translation>
    </message>
    <message>
        <source>safetensors, GGUF or ONNX: loading cannot run code</source>
        <translation>safetensors、GGUF 或 ONNX：加载时不会运行代码</translation>
    </message>
    <message>
        <source>Built-in models are part of the app and cannot be removed.</source>
        <translation>内置模型是应用的一部分，不能移除。</translation>
    </message>
    <message>
        <source>Delete the model (a linked one is only forgotten; its files stay)</source>
        <translation>删除模型（已链接的模型只会被移出列表，文件保留）</translation>
    </message>
    <message>
        <source>Refuse pickle weights</source>
        <translation>拒绝 pickle 权重</translation>
    </message>
    <message>
        <source>Allow pickle weights…</source>
        <translation>允许 pickle 权重…</translation>
    </message>
    <message>
        <source>{name} has only pickle weights, which are blocked; allow them first.</source>
        <translation>{name} 只有 pickle 权重，目前已被阻止；请先允许它们。</translation>
    </message>
    <message>
        <source>{name} is now the default model of the {pane} pane.</source>
        <translation>{name} 现在是“{pane}”面板的默认模型。</translation>
    </message>
    <message>
        <source>Allow pickle weights?</source>
        <translation>允许 pickle 权重吗？</translation>
    </message>
    <message>
        <source>{name}

{explanation}

Allow loading this model&apos;s pickle weights?</source>
        <translation>{name}

{explanation}

允许加载这个模型的 pickle 权重吗？</translation>
    </message>
    <message>
        <source>Pickle weights of {name} are no longer allowed.</source>
        <translation>已不再允许 {name} 的 pickle 权重。</translation>
    </message>
    <message>
        <source>Pickle weights of {name} are allowed (loaded with weights_only=True).</source>
        <translation>已允许 {name} 的 pickle 权重（以 weights_only=True 加载）。</translation>
    </message>
    <message>
        <source>{name} is built into the app and cannot be removed.</source>
        <translation>{name} 是应用内置的模型，不能移除。</translation>
    </message>
    <message>
        <source>Stop using {name}? Its files in {path} stay where they are.</source>
        <translation>停止使用 {name} 吗？它在 {path} 的文件会保留在原处。</translation>
    </message>
    <message>
        <source>Delete {name} ({size}) from {folder}? This cannot be undone.</source>
        <translation>从 {folder} 删除 {name}（{size}）吗？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Remove model</source>
        <translation>移除模型</translation>
    </message>
    <message>
        <source>Delete the style {name} from {folder}? Its base model stays. This cannot be undone.</source>
        <translation>从 {folder} 删除风格 {name}？其基础模型会保留。此操作无法撤销。</translation>
    </message>
    <message>
        <source>Removed {name}.</source>
        <translation>已删除 {name}。</translation>
    </message>
</context>
<context>
    <name>JobQueue</name>
    <message>
        <source>Load {name}</source>
        <translation>加载 {name}</translation>
    </message>
</context>
<context>
    <name>JobSpec</name>
    <message>
        <source>The seed must be a whole number from 0 to {max}, or blank for random.</source>
        <translation>种子必须是 0 到 {max} 之间的整数；留空则随机。</translation>
    </message>
</context>
<context>
    <name>LaneWorker</name>
    <message>
        <source>Out of memory: try a smaller model, size or batch.</source>
        <translation>内存不足：请换用更小的模型、尺寸或批大小。</translation>
    </message>
</context>
<context>
    <name>Languages</name>
    <message>
        <source>English</source>
        <translation>英语</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>Japanese</source>
        <translation>日语</translation>
    </message>
    <message>
        <source>Korean</source>
        <translation>韩语</translation>
    </message>
    <message>
        <source>German</source>
        <translation>德语</translation>
    </message>
    <message>
        <source>French</source>
        <translation>法语</translation>
    </message>
    <message>
        <source>Spanish</source>
        <translation>西班牙语</translation>
    </message>
    <message>
        <source>Italian</source>
        <translation>意大利语</translation>
    </message>
    <message>
        <source>Portuguese</source>
        <translation>葡萄牙语</translation>
    </message>
    <message>
        <source>Dutch</source>
        <translation>荷兰语</translation>
    </message>
    <message>
        <source>Russian</source>
        <translation>俄语</translation>
    </message>
    <message>
        <source>Ukrainian</source>
        <translation>乌克兰语</translation>
    </message>
    <message>
        <source>Arabic</source>
        <translation>阿拉伯语</translation>
    </message>
    <message>
        <source>Persian</source>
        <translation>波斯语</translation>
    </message>
    <message>
        <source>Hebrew</source>
        <translation>希伯来语</translation>
    </message>
    <message>
        <source>Greek</source>
        <translation>希腊语</translation>
    </message>
    <message>
        <source>Hindi</source>
        <translation>印地语</translation>
    </message>
    <message>
        <source>Thai</source>
        <translation>泰语</translation>
    </message>
    <message>
        <source>Vietnamese</source>
        <translation>越南语</translation>
    </message>
    <message>
        <source>Polish</source>
        <translation>波兰语</translation>
    </message>
    <message>
        <source>Turkish</source>
        <translation>土耳其语</translation>
    </message>
    <message>
        <source>Swedish</source>
        <translation>瑞典语</translation>
    </message>
    <message>
        <source>Czech</source>
        <translation>捷克语</translation>
    </message>
    <message>
        <source>in Cyrillic letters</source>
        <translation>用西里尔字母</translation>
    </message>
    <message>
        <source>in Devanagari letters</source>
        <translation>用天城文字母</translation>
    </message>
    <message>
        <source>in Latin letters</source>
        <translation>用拉丁字母</translation>
    </message>
    <message>
        <source>{first} and {second}</source>
        <translation>{first}和{second}</translation>
    </message>
    <message>
        <source>This voice speaks {speaks}; the text is written {text}. Choose a voice for its language (see Models).</source>
        <translation>这个音色说{speaks}，而这段文字是{text}书写的。请选择适合这种语言的音色（见“模型”）。</translation>
    </message>
    <message>
        <source>This voice speaks {speaks}; the text is {text}. Choose a {text} voice (see Models).</source>
        <translation>这个音色说{speaks}，而这段文字是{text}。请选择{text}音色（见“模型”）。</translation>
    </message>
    <message>
        <source>This voice speaks {speaks}; the text is {text}. Choose a {text} voice, or download “{voice}” in Models.</source>
        <translation>这个音色说{speaks}，而这段文字是{text}。请选择{text}音色，或在“模型”中下载“{voice}”。</translation>
    </message>
</context>
<context>
    <name>LayerPanel</name>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>A new transparent layer</source>
        <translation>新建一个透明图层</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Add image files as layers (or drop them on the canvas)</source>
        <translation>把图片文件添加为图层（也可以直接拖到画布上）</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the selected layer</source>
        <translation>复制选中的图层</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete the selected layer</source>
        <translation>删除选中的图层</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move the selected layer up</source>
        <translation>把选中的图层上移一层</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Move the selected layer down</source>
        <translation>把选中的图层下移一层</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>不透明度</translation>
    </message>
    <message>
        <source>✦ AI</source>
        <translation>✦ AI</translation>
    </message>
    <message>
        <source>Tick to show, untick to hide</source>
        <translation>勾选显示，取消勾选隐藏</translation>
    </message>
    <message>
        <source>Illustrates the paragraph “{excerpt}” (right-click to show it)</source>
        <translation>为段落“{excerpt}”配的图（右键可跳转到该段落）</translation>
    </message>
    <message>
        <source>From paragraph “{excerpt}”: show it in the Document</source>
        <translation>来自段落“{excerpt}”：在文档中显示</translation>
    </message>
</context>
<context>
    <name>LearnStyle</name>
    <message>
        <source>The style trainer needs the model registry.</source>
        <translation>风格训练器需要模型列表。</translation>
    </message>
    <message>
        <source>There is no stopped run of &apos;{name}&apos; to resume.</source>
        <translation>没有可继续的“{name}”训练。</translation>
    </message>
    <message>
        <source>Reading your texts…</source>
        <translation>正在读取你的文本…</translation>
    </message>
    <message>
        <source>Loading {name} for training…</source>
        <translation>正在加载 {name} 以供训练…</translation>
    </message>
    <message>
        <source>Cutting the texts into tokens…</source>
        <translation>正在把文本切分为词元…</translation>
    </message>
    <message>
        <source>{path} names no architecture.</source>
        <translation>{path} 没有注明模型架构。</translation>
    </message>
    <message>
        <source>llama.cpp&apos;s architecture &apos;{arch}&apos; is not known to the GGUF writer.</source>
        <translation>GGUF 写入器不认识 llama.cpp 的架构“{arch}”。</translation>
    </message>
    <message>
        <source>The adapter&apos;s weights {module} have no llama.cpp counterpart.</source>
        <translation>适配器的权重 {module} 在 llama.cpp 中没有对应项。</translation>
    </message>
    <message>
        <source>The time budget must be more than 0 and at most {max} minutes.</source>
        <translation>时长必须大于 0 且不超过 {max} 分钟。</translation>
    </message>
    <message>
        <source>The rank must be from 1 to 256.</source>
        <translation>秩必须在 1 到 256 之间。</translation>
    </message>
    <message>
        <source>Alpha must be more than 0 and at most 4096.</source>
        <translation>Alpha 必须大于 0 且不超过 4096。</translation>
    </message>
    <message>
        <source>The learning rate must be more than 0 and at most 0.1.</source>
        <translation>学习率必须大于 0 且不超过 0.1。</translation>
    </message>
    <message>
        <source>The block length must be from 16 to 8192 tokens.</source>
        <translation>块长度必须在 16 到 8192 个词元之间。</translation>
    </message>
    <message>
        <source>The batch size must be from 1 to 256.</source>
        <translation>批大小必须在 1 到 256 之间。</translation>
    </message>
    <message>
        <source>The epochs must be from 1 to 10000.</source>
        <translation>轮数必须在 1 到 10000 之间。</translation>
    </message>
    <message>
        <source>The number of steps cannot be negative.</source>
        <translation>步数不能为负数。</translation>
    </message>
    <message>
        <source>Precision must be fp32 or bf16.</source>
        <translation>精度必须是 fp32 或 bf16。</translation>
    </message>
    <message>
        <source>Sample tokens must be from 0 to 512.</source>
        <translation>示例词元数必须在 0 到 512 之间。</translation>
    </message>
    <message>
        <source>{first} {then}</source>
        <translation>{first}{then}</translation>
    </message>
    <message>
        <source>Bad style-training parameters: {reason}</source>
        <translation>风格训练参数有误：{reason}</translation>
    </message>
    <message>
        <source>The seed must be a whole number from 0 to {max}.</source>
        <translation>种子必须是 0 到 {max} 之间的整数。</translation>
    </message>
    <message>
        <source>Choose the texts to learn from.</source>
        <translation>请选择要学习的文本。</translation>
    </message>
    <message>
        <source>Choose the base model to teach.</source>
        <translation>请选择要训练的基础模型。</translation>
    </message>
    <message>
        <source>{name} is not a text model: a style is learned on a text model.</source>
        <translation>{name} 不是文本模型：风格只能在文本模型上学习。</translation>
    </message>
    <message>
        <source>{name} is already a style; choose its base model ({base}) to learn a new one.</source>
        <translation>{name} 本身就是一种风格；要学习新风格，请选择它的基础模型（{base}）。</translation>
    </message>
    <message>
        <source>{name} cannot be trained here: a style needs a model on this computer in GGUF or safetensors format.</source>
        <translation>{name} 无法在这里训练：风格需要本机上的 GGUF 或 safetensors 格式模型。</translation>
    </message>
    <message>
        <source>{path} is not a readable GGUF file ({reason}).</source>
        <translation>{path} 不是可读取的 GGUF 文件（{reason}）。</translation>
    </message>
    <message>
        <source>Not enough memory to learn a style on {name}: training needs about {needed} GB, {available} GB is free. Close other programs, choose a smaller base model, or lower the batch size or block length.</source>
        <translation>内存不足，无法在 {name} 上学习风格：训练约需 {needed} GB，当前可用 {available} GB。请关闭其他程序、选择更小的基础模型，或调低批大小或块长度。</translation>
    </message>
    <message>
        <source>{name} cannot be trained: {reason}</source>
        <translation>{name} 无法训练：{reason}</translation>
    </message>
    <message>
        <source>Too little text to learn a style from: {tokens} tokens make {blocks} block(s) of {block} tokens, and at least 2 are needed (one to learn from, one to check against).</source>
        <translation>文本太少，无法学习风格：{tokens} 个词元只能组成 {blocks} 个 {block} 词元的块，至少需要 2 个（一个用来学习，一个用来检验）。</translation>
    </message>
    <message>
        <source>The stopped run of &apos;{name}&apos; cannot be resumed: {reason}</source>
        <translation>无法继续已停止的“{name}”训练：{reason}</translation>
    </message>
    <message>
        <source>Checking the held-back text…</source>
        <translation>正在用预留文本检验…</translation>
    </message>
    <message>
        <source>Learning from {words} words: {steps} steps in {epochs} epochs…</source>
        <translation>正在学习 {words} 字：共 {epochs} 轮 {steps} 步…</translation>
    </message>
    <message>
        <source>Epoch {epoch}: checking and saving…</source>
        <translation>第 {epoch} 轮：正在检验并保存…</translation>
    </message>
</context>
<context>
    <name>LearnStyleDialog</name>
    <message>
        <source>Learn my style</source>
        <translation>学习我的风格</translation>
    </message>
    <message>
        <source>The style&apos;s name: the model list shows it as “&lt;base model&gt; · &lt;name&gt;”</source>
        <translation>风格的名称：模型列表中显示为“&lt;基础模型&gt; · &lt;名称&gt;”</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>How long to learn: the first steps are timed on this computer and the minutes turned into steps</source>
        <translation>学习多久：先在这台电脑上计时最初几步，再把分钟数换算成步数</translation>
    </message>
    <message>
        <source>Texts:</source>
        <translation>文本：</translation>
    </message>
    <message>
        <source>Base model:</source>
        <translation>基础模型：</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Time:</source>
        <translation>时长：</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop now; the last saved epoch stays as a usable style</source>
        <translation>立即停止；最后保存的轮次会保留为可用的风格</translation>
    </message>
    <message>
        <source>Continue it</source>
        <translation>接着学</translation>
    </message>
    <message>
        <source>Training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>How it writes on from a held-back opening</source>
        <translation>它如何续写一段留出的开头</translation>
    </message>
    <message>
        <source>No model that can be trained is installed</source>
        <translation>没有安装可训练的模型</translation>
    </message>
    <message>
        <source>Needs about {needed} of memory to learn; {available} available.</source>
        <translation>学习约需 {needed} 内存；当前可用 {available}。</translation>
    </message>
    <message numerus="yes">
        <source>%n epoch(s)</source>
        <translation>
            <numerusform>%n 轮</numerusform>
        </translation>
    </message>
    <message>
        <source>{steps} steps ({epochs}) at {seconds} s per step, measured on this computer.</source>
        <translation>{steps} 步（{epochs}），每步 {seconds} 秒，在这台电脑上实测。</translation>
    </message>
    <message>
        <source>About {steps} steps in {minutes} min at {seconds} s per step (measured last time).</source>
        <translation>{minutes} 分钟约 {steps} 步，每步 {seconds} 秒（上次实测）。</translation>
    </message>
    <message>
        <source>The first steps are timed on this computer, then {minutes} min is turned into a number of steps.</source>
        <translation>先在这台电脑上计时最初几步，再把 {minutes} 分钟换算成步数。</translation>
    </message>
    <message>
        <source>Choose texts to learn from first.</source>
        <translation>请先选择要学习的文本。</translation>
    </message>
    <message>
        <source>Install a text model that can be trained first.</source>
        <translation>请先安装一个可训练的文本模型。</translation>
    </message>
    <message>
        <source>“{name}” stopped after epoch {done} of {planned}: it can go on from there.</source>
        <translation>“{name}”在第 {done} 轮（共 {planned} 轮）后停下了，可以从那里接着学。</translation>
    </message>
    <message>
        <source>Done: {epochs} epochs, {steps} steps</source>
        <translation>完成：{epochs} 轮，{steps} 步</translation>
    </message>
    <message>
        <source>{words} words learned per minute · {time} of learning</source>
        <translation>每分钟学习 {words} 词 · 共学习 {time}</translation>
    </message>
    <message>
        <source>Epoch {epoch} of {epochs} · step {step} of {steps}</source>
        <translation>第 {epoch}/{epochs} 轮 · 第 {step}/{steps} 步</translation>
    </message>
    <message>
        <source>{speed} tokens/s</source>
        <translation>每秒 {speed} 个 token</translation>
    </message>
    <message>
        <source>{rate} · about {time} left</source>
        <translation>{rate} · 约剩 {time}</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>尚未开始</translation>
    </message>
    <message>
        <source>Held-back perplexity before learning: {before} (lower is better)</source>
        <translation>学习前留出文本的困惑度：{before}（越低越好）</translation>
    </message>
    <message>
        <source>Held-back perplexity: {before} before → {now} now (lower is better)</source>
        <translation>留出文本的困惑度：学习前 {before} → 现在 {now}（越低越好）</translation>
    </message>
    <message>
        <source>Learning is running</source>
        <translation>正在学习</translation>
    </message>
    <message>
        <source>“{name}” is still learning. Stop it now (the last saved epoch is kept), or let it go on in the background? Tools ▸ Learn my style… shows it again.</source>
        <translation>“{name}”仍在学习。现在停止（保留最后保存的轮次），还是让它在后台继续？“工具 ▸ 学习我的风格…”可再次打开。</translation>
    </message>
    <message>
        <source>Stop learning</source>
        <translation>停止学习</translation>
    </message>
    <message>
        <source>Go on in the background</source>
        <translation>在后台继续</translation>
    </message>
    <message>
        <source>Go on learning?</source>
        <translation>接着学习吗？</translation>
    </message>
    <message>
        <source>Learning the style “{name}” was cut off after epoch {done} of {planned} when the app closed. Go on from there?</source>
        <translation>应用关闭时，风格“{name}”的学习在第 {done} 轮（共 {planned} 轮）后中断了。要从那里接着学吗？</translation>
    </message>
</context>
<context>
    <name>LossCurves</name>
    <message>
        <source>discriminator</source>
        <translation>判别器</translation>
    </message>
    <message>
        <source>generator</source>
        <translation>生成器</translation>
    </message>
    <message>
        <source>total</source>
        <translation>总损失</translation>
    </message>
    <message>
        <source>reconstruction</source>
        <translation>重建</translation>
    </message>
    <message>
        <source>KL</source>
        <translation>KL</translation>
    </message>
    <message>
        <source>training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Loss curves appear here while training runs</source>
        <translation>训练开始后，这里会显示损失曲线</translation>
    </message>
    <message>
        <source>step {step}</source>
        <translation>第 {step} 步</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Document</source>
        <translation>文档</translation>
    </message>
    <message>
        <source>Canvas</source>
        <translation>画布</translation>
    </message>
    <message>
        <source>Audio</source>
        <translation>音频</translation>
    </message>
    <message>
        <source>Story</source>
        <translation>故事</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <source>Could not open project</source>
        <translation>无法打开项目</translation>
    </message>
    <message>
        <source>Parts of the project are missing</source>
        <translation>项目的部分内容缺失</translation>
    </message>
    <message>
        <source>These could not be found and were left out:</source>
        <translation>以下内容找不到，已略过：</translation>
    </message>
    <message>
        <source>Opened {path}</source>
        <translation>已打开 {path}</translation>
    </message>
    <message>
        <source>Save project as</source>
        <translation>项目另存为</translation>
    </message>
    <message>
        <source>Could not save</source>
        <translation>无法保存</translation>
    </message>
    <message>
        <source>Saved {name} in {seconds} s ({assets} new assets)</source>
        <translation>已保存 {name}，用时 {seconds} 秒（{assets} 个新素材）</translation>
    </message>
    <message>
        <source>{path} was no longer there (moved or deleted?): saved the whole project to it again</source>
        <translation>{path} 已不在原处（被移动或删除了？）：已把整个项目重新保存到那里</translation>
    </message>
    <message>
        <source>Project not found</source>
        <translation>找不到项目</translation>
    </message>
    <message>
        <source>{path} no longer exists; it was removed from the recent list.</source>
        <translation>{path} 已不存在，已从最近打开列表中移除。</translation>
    </message>
    <message>
        <source>The canvas has no layers to export.</source>
        <translation>画布上没有可导出的图层。</translation>
    </message>
    <message>
        <source>Select a layer first.</source>
        <translation>请先选择一个图层。</translation>
    </message>
    <message>
        <source>Select a clip first.</source>
        <translation>请先选择一个片段。</translation>
    </message>
    <message>
        <source>Unknown export &apos;{kind}&apos;.</source>
        <translation>未知的导出类型“{kind}”。</translation>
    </message>
    <message>
        <source>Could not export</source>
        <translation>无法导出</translation>
    </message>
    <message>
        <source>Exported {path}</source>
        <translation>已导出 {path}</translation>
    </message>
    <message>
        <source>Export project archive</source>
        <translation>导出项目归档</translation>
    </message>
    <message>
        <source>Could not export the project archive</source>
        <translation>无法导出项目归档</translation>
    </message>
    <message>
        <source>Import project archive</source>
        <translation>导入项目归档</translation>
    </message>
    <message>
        <source>Save imported project as</source>
        <translation>将导入的项目另存为</translation>
    </message>
    <message>
        <source>Could not import the project archive</source>
        <translation>无法导入项目归档</translation>
    </message>
    <message>
        <source>“{name}” cannot be restored: its copy is damaged ({reason}).</source>
        <translation>“{name}”无法恢复：它的副本已损坏（{reason}）。</translation>
    </message>
    <message>
        <source>Could not restore</source>
        <translation>无法恢复</translation>
    </message>
    <message>
        <source>Restored unsaved changes of “{name}”. Save to keep them.</source>
        <translation>已恢复“{name}”未保存的更改。请保存以保留它们。</translation>
    </message>
    <message>
        <source>Hardware check</source>
        <translation>硬件检测</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Generation runs on: {device_name} ({device})
Matrix speed: {gflops} GFLOP/s with {threads} threads
torch {torch} · GPU available: {gpu}</source>
        <translation>生成运行在：{device_name}（{device}）
矩阵运算速度：{gflops} GFLOP/s，{threads} 个线程
torch {torch} · GPU 可用：{gpu}</translation>
    </message>
    <message>
        <source>Stopped: {title}</source>
        <translation>已停止：{title}</translation>
    </message>
    <message>
        <source>{title} failed: {message}</source>
        <translation>{title}失败：{message}</translation>
    </message>
    <message>
        <source>{title} failed</source>
        <translation>{title}失败</translation>
    </message>
    <message>
        <source>Projects: {projects}
Models: {models}
Settings: {settings}
Logs: {logs}
Cache: {cache}</source>
        <translation>项目：{projects}
模型：{models}
设置：{settings}
日志：{logs}
缓存：{cache}</translation>
    </message>
    <message>
        <source>Where are my files?</source>
        <translation>我的文件在哪里？</translation>
    </message>
    <message>
        <source>Document as Markdown…</source>
        <translation>文档（Markdown）…</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown 文档 (*.md)</translation>
    </message>
    <message>
        <source>Document as HTML…</source>
        <translation>文档（HTML）…</translation>
    </message>
    <message>
        <source>HTML (*.html)</source>
        <translation>HTML 网页 (*.html)</translation>
    </message>
    <message>
        <source>Document as plain text…</source>
        <translation>文档（纯文本）…</translation>
    </message>
    <message>
        <source>Plain text (*.txt)</source>
        <translation>纯文本 (*.txt)</translation>
    </message>
    <message>
        <source>Canvas as PNG…</source>
        <translation>画布（PNG）…</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <source>Selected layer as PNG…</source>
        <translation>选中的图层（PNG）…</translation>
    </message>
    <message>
        <source>Selected clip as WAV…</source>
        <translation>选中的片段（WAV）…</translation>
    </message>
    <message>
        <source>WAV audio (*.wav)</source>
        <translation>WAV 音频 (*.wav)</translation>
    </message>
    <message>
        <source>Selected clip as FLAC…</source>
        <translation>选中的片段（FLAC）…</translation>
    </message>
    <message>
        <source>FLAC audio (*.flac)</source>
        <translation>FLAC 音频 (*.flac)</translation>
    </message>
    <message>
        <source>AIGC Desktop projects (*{suffix})</source>
        <translation>AIGC Desktop 项目 (*{suffix})</translation>
    </message>
    <message>
        <source>AIGC Desktop project archives (*{suffix})</source>
        <translation>AIGC Desktop 项目归档 (*{suffix})</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>Export project archive…</source>
        <translation>导出项目归档…</translation>
    </message>
    <message>
        <source>Import project archive…</source>
        <translation>导入项目归档…</translation>
    </message>
    <message>
        <source>&amp;Models…</source>
        <translation>模型(&amp;M)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Train on my images…</source>
        <translation>用我的图片训练(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Learn my style…</source>
        <translation>学习我的风格(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Show AI-generated</source>
        <translation>标出 AI 生成的内容</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Servers…</source>
        <translation>服务器(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Check &amp;hardware</source>
        <translation>硬件检测(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Repair installation…</source>
        <translation>修复安装(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;About AIGC Desktop</source>
        <translation>关于 AIGC Desktop(&amp;A)</translation>
    </message>
    <message>
        <source>No recent projects</source>
        <translation>没有最近打开的项目</translation>
    </message>
    <message>
        <source>Send over plain http?</source>
        <translation>通过未加密的 http 发送？</translation>
    </message>
    <message>
        <source>Send this job to {name} anyway?</source>
        <translation>仍要把这个任务发送到 {name} 吗？</translation>
    </message>
</context>
<context>
    <name>Media</name>
    <message>
        <source>{what} is {width}×{height} pixels, larger than this app opens (possible decompression bomb).</source>
        <translation>{what} 有 {width}×{height} 像素，超出了本应用能打开的大小（可能是解压炸弹）。</translation>
    </message>
    <message>
        <source>{what} is not a readable image ({reason}).</source>
        <translation>{what} 不是可读取的图像（{reason}）。</translation>
    </message>
    <message>
        <source>{name} is too large to import ({mb} MB).</source>
        <translation>{name} 太大，无法导入（{mb} MB）。</translation>
    </message>
    <message>
        <source>Could not read {path}: {reason}.</source>
        <translation>无法读取 {path}：{reason}。</translation>
    </message>
    <message>
        <source>{name} is not a readable audio file ({reason}).</source>
        <translation>{name} 不是可读取的音频文件（{reason}）。</translation>
    </message>
    <message>
        <source>{name} holds no audio.</source>
        <translation>{name} 里没有音频。</translation>
    </message>
</context>
<context>
    <name>ModelFiles</name>
    <message>
        <source>{file} is not a readable safetensors file ({reason}).</source>
        <translation>{file} 不是可读取的 safetensors 文件（{reason}）。</translation>
    </message>
    <message>
        <source>{file} is not a readable safetensors file.</source>
        <translation>{file} 不是可读取的 safetensors 文件。</translation>
    </message>
</context>
<context>
    <name>ModelLoading</name>
    <message>
        <source>{name} only has pickle weights (.bin); this app loads safetensors only, because pickle files can run code. Convert it to safetensors.</source>
        <translation>{name} 只有 pickle 权重（.bin）；本应用只加载 safetensors，因为 pickle 文件可以运行代码。请把它转换为 safetensors。</translation>
    </message>
    <message>
        <source>{name} only has pickle weights (.bin); this app loads safetensors only, because pickle files can run code. Convert it to safetensors or allow its pickle weights in Models &gt; Installed (or with `aigc models allow-pickle`).</source>
        <translation>{name} 只有 pickle 权重（.bin）；本应用只加载 safetensors，因为 pickle 文件可以运行代码。请把它转换为 safetensors，或在“模型”窗口的“已安装”页允许它的 pickle 权重（也可以用 `aigc models allow-pickle`）。</translation>
    </message>
    <message>
        <source>{name} could not be loaded: its weights lack {count} tensors (e.g. {example}).</source>
        <translation>{name} 无法加载：它的权重缺少 {count} 个张量（例如 {example}）。</translation>
    </message>
    <message>
        <source>{name} could not be loaded {as_what}: {reason}</source>
        <translation>{name} 无法{as_what}加载：{reason}</translation>
    </message>
</context>
<context>
    <name>ModelRegistry</name>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>No model &apos;{wanted}&apos; (neither an installed id nor a path). Installed: {installed}.</source>
        <translation>没有模型“{wanted}”（既不是已安装模型的 id，也不是路径）。已安装：{installed}。</translation>
    </message>
    <message>
        <source>{name} is not ready and this app does not know how to prepare it.</source>
        <translation>{name} 尚未就绪，本应用也不知道如何准备它。</translation>
    </message>
    <message>
        <source>{path} is not a model this app can load.</source>
        <translation>{path} 不是本应用能加载的模型。</translation>
    </message>
</context>
<context>
    <name>ModelSelector</name>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>image</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>speech</source>
        <translation>语音</translation>
    </message>
    <message>
        <source>music</source>
        <translation>音乐</translation>
    </message>
    <message>
        <source>system</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>built in</source>
        <translation>内置</translation>
    </message>
    <message>
        <source>{id}
{path}
Licence: {licence}</source>
        <translation>{id}
{path}
许可证：{licence}</translation>
    </message>
    <message>
        <source> or </source>
        <translation>或</translation>
    </message>
    <message>
        <source>No {kinds} model installed</source>
        <translation>未安装{kinds}模型</translation>
    </message>
    <message>
        <source>Put a {kinds} model into {folder} and it will be listed here.</source>
        <translation>把{kinds}模型放进 {folder}，它就会出现在这里。</translation>
    </message>
    <message>
        <source>The model this pane generates with</source>
        <translation>此面板用来生成的模型</translation>
    </message>
    <message>
        <source>Your styles</source>
        <translation>你的风格</translation>
    </message>
    <message>
        <source>{id}
A style learned from your texts, run over {base}</source>
        <translation>{id}
从你的文本学到的风格，在 {base} 上运行</translation>
    </message>
    <message>
        <source>Server “{name}”</source>
        <translation>服务器“{name}”</translation>
    </message>
    <message>
        <source>{model}
on the server “{name}”</source>
        <translation>{model}
在服务器“{name}”上</translation>
    </message>
</context>
<context>
    <name>ModelTasks</name>
    <message>
        <source>Unexpected error: {error}: {reason} (details in the log file)</source>
        <translation>意外错误：{error}：{reason}（详情见日志文件）</translation>
    </message>
    <message>
        <source>That is already running.</source>
        <translation>它已经在运行了。</translation>
    </message>
</context>
<context>
    <name>ModelsWindow</name>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>image</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>voice</source>
        <translation>音色</translation>
    </message>
    <message>
        <source>music</source>
        <translation>音乐</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>已安装</translation>
    </message>
    <message>
        <source>Catalog</source>
        <translation>模型目录</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Styles</source>
        <translation>风格</translation>
    </message>
    <message>
        <source>Works offline: {names} (built in), and every model you download or import.</source>
        <translation>可离线使用：{names}（内置），以及你下载或导入的所有模型。</translation>
    </message>
    <message>
        <source>Works offline: every model you download or import.</source>
        <translation>可离线使用：你下载或导入的所有模型。</translation>
    </message>
    <message>
        <source>the Hugging Face Hub</source>
        <translation>Hugging Face Hub</translation>
    </message>
    <message>
        <source>{offline} Downloading from the catalog needs an internet connection (to {host}).</source>
        <translation>{offline}从模型目录下载需要联网（连接 {host}）。</translation>
    </message>
</context>
<context>
    <name>MusicControls</name>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Generate music from the prompt</source>
        <translation>根据提示词生成音乐</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop generating</source>
        <translation>停止生成</translation>
    </message>
    <message>
        <source>e.g. calm lo-fi piano with soft rain</source>
        <translation>例如：舒缓的 lo-fi 钢琴，伴着细雨声</translation>
    </message>
    <message>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Continue the selected clip</source>
        <translation>续接选中的片段</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Guidance</source>
        <translation>引导系数</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>No music model is installed. Put a MusicGen folder into {folder}.</source>
        <translation>未安装音乐模型。请把 MusicGen 文件夹放入 {folder}。</translation>
    </message>
    <message>
        <source>Describe the music first (e.g. “calm piano with soft rain”).</source>
        <translation>请先描述想要的音乐（例如“舒缓的钢琴，伴着细雨声”）。</translation>
    </message>
    <message>
        <source>No music model installed: put a MusicGen folder into the models folder.</source>
        <translation>未安装音乐模型：请把 MusicGen 文件夹放入模型文件夹。</translation>
    </message>
    <message>
        <source>Expected time on this CPU: about {seconds} s for {length} s of music (music generation is slow without a GPU).</source>
        <translation>在这台电脑的 CPU 上，{length} 秒音乐预计约需 {seconds} 秒（没有 GPU 时生成音乐较慢）。</translation>
    </message>
</context>
<context>
    <name>MusicEngine</name>
    <message>
        <source>Loading torch and transformers…</source>
        <translation>正在加载 torch 和 transformers…</translation>
    </message>
    <message>
        <source>Loading {name}…</source>
        <translation>正在加载 {name}…</translation>
    </message>
    <message>
        <source>as a MusicGen model</source>
        <translation>作为 MusicGen 模型</translation>
    </message>
    <message>
        <source>No music model is loaded.</source>
        <translation>没有加载音乐模型。</translation>
    </message>
    <message>
        <source>The music prompt is empty: describe the music you want.</source>
        <translation>音乐提示词为空：请描述想要的音乐。</translation>
    </message>
    <message>
        <source>{path} holds no audio to continue.</source>
        <translation>{path} 中没有可以续接的音频。</translation>
    </message>
    <message>
        <source>{path} is too short to continue (less than one {ms} ms frame).</source>
        <translation>{path} 太短，无法续接（不足一帧 {ms} 毫秒）。</translation>
    </message>
    <message>
        <source>Composing…</source>
        <translation>正在作曲…</translation>
    </message>
</context>
<context>
    <name>Pane</name>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Load {name}</source>
        <translation>加载 {name}</translation>
    </message>
    <message>
        <source>Some files were not imported</source>
        <translation>有些文件没有导入</translation>
    </message>
</context>
<context>
    <name>PiperEngine</name>
    <message>
        <source>This voice reads Chinese with g2pW, which this app does not include (Piper would also download its data from the Hugging Face Hub). Use a Chinese voice that works offline, such as Huayan (Models).</source>
        <translation>这个音色要用 g2pW 读中文，本应用没有包含它（Piper 还会从 Hugging Face Hub 下载它的数据）。请改用可以离线使用的中文音色，例如 Huayan（见“模型”）。</translation>
    </message>
    <message>
        <source>Loading {name}…</source>
        <translation>正在加载 {name}…</translation>
    </message>
    <message>
        <source>{name}: {needs}</source>
        <translation>{name}：{needs}</translation>
    </message>
    <message>
        <source>{name} has speakers 0 to {last}; there is no speaker {speaker}.</source>
        <translation>{name} 的说话人编号是 0 到 {last}，没有说话人 {speaker}。</translation>
    </message>
    <message>
        <source>{name} found nothing it can read in this text.</source>
        <translation>{name} 在这段文字中找不到能朗读的内容。</translation>
    </message>
    <message>
        <source>This voice</source>
        <translation>这个音色</translation>
    </message>
    <message>
        <source>{name} could not turn the text into sounds: {reason}</source>
        <translation>{name} 无法把文字转换成语音：{reason}</translation>
    </message>
    <message>
        <source>{name} could not be loaded: {reason}</source>
        <translation>无法加载 {name}：{reason}</translation>
    </message>
</context>
<context>
    <name>Project</name>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
</context>
<context>
    <name>ProjectArchive</name>
    <message>
        <source>Could not write the archive {path}: {reason}.</source>
        <translation>无法写入归档 {path}：{reason}。</translation>
    </message>
    <message>
        <source>contains a backslash or NUL</source>
        <translation>包含反斜杠或 NUL 字符</translation>
    </message>
    <message>
        <source>is an absolute path or names a drive</source>
        <translation>是绝对路径或指定了驱动器</translation>
    </message>
    <message>
        <source>contains &apos;..&apos;</source>
        <translation>包含“..”</translation>
    </message>
    <message>
        <source>is a symbolic link</source>
        <translation>是符号链接</translation>
    </message>
    <message>
        <source>{name} has {count} entries, more than a project archive can hold.</source>
        <translation>{name} 有 {count} 个条目，超出了项目归档能容纳的数量。</translation>
    </message>
    <message>
        <source>{name} was refused: its entry {entry} {reason}.</source>
        <translation>已拒绝 {name}：其中的条目 {entry} {reason}。</translation>
    </message>
    <message>
        <source>{name} was refused: it holds {entry} twice.</source>
        <translation>已拒绝 {name}：其中 {entry} 出现了两次。</translation>
    </message>
    <message>
        <source>{name} was refused: it unpacks to more than {mb} MB.</source>
        <translation>已拒绝 {name}：解压后超过 {mb} MB。</translation>
    </message>
    <message>
        <source>{name} was refused: {entry} is compressed implausibly well (zip bomb).</source>
        <translation>已拒绝 {name}：{entry} 的压缩率高得不合常理（压缩炸弹）。</translation>
    </message>
    <message>
        <source>{name} was refused: {entry} is not part of a project archive.</source>
        <translation>已拒绝 {name}：{entry} 不属于项目归档。</translation>
    </message>
    <message>
        <source>{name} is not a project archive: it has no {manifest}.</source>
        <translation>{name} 不是项目归档：其中没有 {manifest}。</translation>
    </message>
    <message>
        <source>{name} was refused: its {manifest} is too large.</source>
        <translation>已拒绝 {name}：其中的 {manifest} 太大。</translation>
    </message>
    <message>
        <source>{name} is damaged: its {manifest} is not valid JSON.</source>
        <translation>{name} 已损坏：其中的 {manifest} 不是有效的 JSON。</translation>
    </message>
    <message>
        <source>{name} is not an AIGC Desktop project archive.</source>
        <translation>{name} 不是 AIGC Desktop 项目归档。</translation>
    </message>
    <message>
        <source>{name} is damaged: its schema version is missing.</source>
        <translation>{name} 已损坏：缺少格式版本号。</translation>
    </message>
    <message>
        <source>{name} was made by a newer AIGC Desktop (schema {version}); please update the app.</source>
        <translation>{name} 由更新版本的 AIGC Desktop 创建（格式版本 {version}），请升级本应用。</translation>
    </message>
    <message>
        <source>{name} is damaged: its manifest is missing.</source>
        <translation>{name} 已损坏：缺少清单。</translation>
    </message>
    <message>
        <source>{name} is damaged: its manifest is incomplete ({reason}).</source>
        <translation>{name} 已损坏：清单不完整（{reason}）。</translation>
    </message>
    <message>
        <source>{path} already exists; choose another name for the imported project.</source>
        <translation>{path} 已存在，请为导入的项目换一个名字。</translation>
    </message>
    <message>
        <source>{path} does not exist or is not a file.</source>
        <translation>{path} 不存在或不是文件。</translation>
    </message>
    <message>
        <source>{name} is empty (0 bytes): it is not a project archive.</source>
        <translation>{name} 是空的（0 字节），不是项目归档。</translation>
    </message>
    <message>
        <source>{name} is damaged: {count} asset(s) named by the manifest are absent.</source>
        <translation>{name} 已损坏：清单中列出的 {count} 个素材不存在。</translation>
    </message>
    <message>
        <source>{name} was refused: {count} asset(s) are not named by the manifest.</source>
        <translation>已拒绝 {name}：有 {count} 个素材不在清单中。</translation>
    </message>
    <message>
        <source>{name} was refused: {reason}</source>
        <translation>已拒绝 {name}：{reason}</translation>
    </message>
    <message>
        <source>{name} is not a readable project archive ({reason}).</source>
        <translation>{name} 不是可读取的项目归档（{reason}）。</translation>
    </message>
    <message>
        <source>{name} uses a zip feature this app cannot read ({reason}).</source>
        <translation>{name} 使用了本应用无法读取的 zip 特性（{reason}）。</translation>
    </message>
    <message>
        <source>Could not read {path}: {reason}.</source>
        <translation>无法读取 {path}：{reason}。</translation>
    </message>
</context>
<context>
    <name>ProjectExport</name>
    <message>
        <source>Could not save {path}: {reason}</source>
        <translation>无法保存 {path}：{reason}</translation>
    </message>
    <message>
        <source>Documents can be exported as Markdown, HTML or plain text, not &apos;{format}&apos;.</source>
        <translation>文档只能导出为 Markdown、HTML 或纯文本，不支持“{format}”。</translation>
    </message>
</context>
<context>
    <name>ProjectStore</name>
    <message>
        <source>{what} holds unreadable audio ({reason}).</source>
        <translation>{what} 中的音频无法读取（{reason}）。</translation>
    </message>
    <message>
        <source>layer &apos;{name}&apos;</source>
        <translation>图层“{name}”</translation>
    </message>
    <message>
        <source>Layer &apos;{name}&apos;</source>
        <translation>图层“{name}”</translation>
    </message>
    <message>
        <source>clip &apos;{name}&apos;</source>
        <translation>片段“{name}”</translation>
    </message>
    <message>
        <source>Clip &apos;{name}&apos;</source>
        <translation>片段“{name}”</translation>
    </message>
    <message>
        <source>Story picture &apos;{name}&apos;</source>
        <translation>故事图片“{name}”</translation>
    </message>
    <message>
        <source>{path} does not exist.</source>
        <translation>{path} 不存在。</translation>
    </message>
    <message>
        <source>{path} is not a file.</source>
        <translation>{path} 不是文件。</translation>
    </message>
    <message>
        <source>{path} is empty (0 bytes): it is not a project.</source>
        <translation>{path} 是空的（0 字节），不是项目。</translation>
    </message>
    <message>
        <source>{name} is not a readable project (it is not an SQLite database).</source>
        <translation>{name} 不是可读取的项目（它不是 SQLite 数据库）。</translation>
    </message>
    <message>
        <source>{name} is not an AIGC Desktop project (another program&apos;s database).</source>
        <translation>{name} 不是 AIGC Desktop 项目（是其他程序的数据库）。</translation>
    </message>
    <message>
        <source>{name} is being written by another program; try again in a moment.</source>
        <translation>{name} 正在被其他程序写入，请稍后再试。</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>磁盘已满</translation>
    </message>
    <message>
        <source>the folder or file is read-only</source>
        <translation>文件夹或文件是只读的</translation>
    </message>
    <message>
        <source>Could not save to {path}: {reason}. Your work is still open; try Save As to another place.</source>
        <translation>无法保存到 {path}：{reason}。你的作品仍然开着，请用“另存为”保存到其他位置。</translation>
    </message>
    <message>
        <source>{name} was saved by a newer AIGC Desktop (schema {version}); saving over it would lose what that version added. Save to another file, or update the app.</source>
        <translation>{name} 由更新版本的 AIGC Desktop 保存（格式版本 {version}）；在它上面保存会丢失新版本添加的内容。请另存为其他文件，或升级本应用。</translation>
    </message>
    <message>
        <source>{name} is not an AIGC Desktop project.</source>
        <translation>{name} 不是 AIGC Desktop 项目。</translation>
    </message>
    <message>
        <source>{name} was saved by a newer AIGC Desktop (schema {version}); please update the app.</source>
        <translation>{name} 由更新版本的 AIGC Desktop 保存（格式版本 {version}），请升级本应用。</translation>
    </message>
    <message>
        <source>{name} is damaged: its manifest is missing.</source>
        <translation>{name} 已损坏：缺少清单。</translation>
    </message>
    <message>
        <source>{name} is damaged: {reason}</source>
        <translation>{name} 已损坏：{reason}</translation>
    </message>
    <message>
        <source>{name} is damaged: its manifest is incomplete ({reason}).</source>
        <translation>{name} 已损坏：清单不完整（{reason}）。</translation>
    </message>
    <message>
        <source>{name} is not a readable project ({reason}).</source>
        <translation>{name} 不是可读取的项目（{reason}）。</translation>
    </message>
    <message>
        <source>Could not read {path}: {reason}.</source>
        <translation>无法读取 {path}：{reason}。</translation>
    </message>
</context>
<context>
    <name>PromptDrafts</name>
    <message>
        <source>Drafted by {model} from your text. Edit it as you like.</source>
        <translation>由 {model} 根据你的文字拟写，可随意修改。</translation>
    </message>
    <message>
        <source>Drafted by {model}, which was trained on English: drafts from Chinese text may be weak. Edit it as you like.</source>
        <translation>由 {model} 拟写。它用英文训练，根据中文拟写的效果可能不理想，可随意修改。</translation>
    </message>
    <message>
        <source>No text model is installed to draft a prompt, so this is your text itself, shortened. Edit it as you like.</source>
        <translation>没有安装可拟写提示词的文本模型，这里是你的原文（已缩短），可随意修改。</translation>
    </message>
    <message>
        <source>{model} is a base model: it continues text but cannot write a prompt, so this is your text itself, shortened. Install an instruction-tuned (chat) model for drafts. Edit it as you like.</source>
        <translation>{model} 是基础模型，只会接着文字往下写，不会拟写提示词，所以这里是你的原文（已缩短）。安装一个经过指令微调的（对话）模型即可自动拟写。可随意修改。</translation>
    </message>
    <message>
        <source>{model} could not draft a prompt ({reason}), so this is your text itself, shortened.</source>
        <translation>{model} 未能拟写提示词（{reason}），这里是你的原文（已缩短）。</translation>
    </message>
    <message>
        <source>{model} gave no usable prompt, so this is your text itself, shortened. Edit it as you like.</source>
        <translation>{model} 没有给出可用的提示词，这里是你的原文（已缩短），可随意修改。</translation>
    </message>
    <message>
        <source>Select some text, or put the cursor in a paragraph.</source>
        <translation>请选中一些文字，或把光标放在一个段落中。</translation>
    </message>
</context>
<context>
    <name>QueueStatus</name>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the running jobs and drop the waiting ones (Esc in a pane stops its own job)</source>
        <translation>停止正在运行的任务并取消等待中的任务（在面板中按 Esc 只停止该面板的任务）</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>{title}: {message}</source>
        <translation>{title}：{message}</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message numerus="yes">
        <source>(+%n waiting)</source>
        <translation>
            <numerusform>（另有 %n 个在等待）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Recovery</name>
    <message>
        <source>Untitled (description lost)</source>
        <translation>未命名（描述已丢失）</translation>
    </message>
    <message>
        <source>it cannot be read ({reason})</source>
        <translation>无法读取（{reason}）</translation>
    </message>
    <message>
        <source>it is not a project file</source>
        <translation>不是项目文件</translation>
    </message>
</context>
<context>
    <name>RecoveryDialog</name>
    <message numerus="yes">
        <source>%n word(s)</source>
        <translation>
            <numerusform>%n 字</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n layer(s)</source>
        <translation>
            <numerusform>%n 个图层</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n clip(s)</source>
        <translation>
            <numerusform>%n 个片段</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n generation(s)</source>
        <translation>
            <numerusform>%n 次生成</numerusform>
        </translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Recover unsaved work</source>
        <translation>恢复未保存的作品</translation>
    </message>
    <message>
        <source>AIGC Desktop did not close normally last time. These autosaved copies hold changes that were not saved. Restore one to keep working on it, discard the ones you do not need, or decide later (they are offered again at the next start).</source>
        <translation>AIGC Desktop 上次没有正常关闭。下面这些自动保存的副本里有尚未保存的更改。恢复其中一个以继续编辑，丢弃不需要的，或者稍后再决定（下次启动时会再次列出）。</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Original file</source>
        <translation>原文件</translation>
    </message>
    <message>
        <source>Autosaved</source>
        <translation>自动保存于</translation>
    </message>
    <message>
        <source>Contents</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>恢复(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>丢弃(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Later</source>
        <translation>稍后(&amp;L)</translation>
    </message>
    <message>
        <source>never saved</source>
        <translation>从未保存</translation>
    </message>
    <message>
        <source>Damaged: {reason}</source>
        <translation>已损坏：{reason}</translation>
    </message>
</context>
<context>
    <name>ResizeImageDialog</name>
    <message>
        <source>Resize image</source>
        <translation>调整图像大小</translation>
    </message>
    <message>
        <source>Keep proportions</source>
        <translation>保持比例</translation>
    </message>
    <message>
        <source>Width</source>
        <translation>宽度</translation>
    </message>
    <message>
        <source>Height</source>
        <translation>高度</translation>
    </message>
    <message>
        <source>Now {width} × {height} px. Every layer is scaled (Lanczos).</source>
        <translation>当前为 {width} × {height} px。所有图层都会缩放（Lanczos）。</translation>
    </message>
</context>
<context>
    <name>Safety</name>
    <message>
        <source>Its weights are only in pickle files (.bin/.ckpt/.pt/.pth). Loading a pickle file can run code hidden in it, so the app refuses them unless you allow this one model. Allow it only if you trust where it came from; it is then loaded with weights_only=True, which refuses anything but tensors.</source>
        <translation>它的权重只有 pickle 文件（.bin/.ckpt/.pt/.pth）。加载 pickle 文件可能运行其中隐藏的代码，因此除非你允许这个模型，应用会拒绝加载。只有在信任其来源时才允许；允许后会以 weights_only=True 加载，只接受张量。</translation>
    </message>
</context>
<context>
    <name>SampleView</name>
    <message>
        <source>Samples from the model appear here
after its first steps</source>
        <translation>训练几步后，
这里会显示模型生成的样图</translation>
    </message>
</context>
<context>
    <name>ServerForm</name>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>API 密钥：</translation>
    </message>
    <message>
        <source>Security:</source>
        <translation>安全：</translation>
    </message>
    <message>
        <source>A short name, e.g. GPU box</source>
        <translation>简短的名称，例如：显卡主机</translation>
    </message>
    <message>
        <source>e.g. http://192.168.1.20:8080</source>
        <translation>例如 http://192.168.1.20:8080</translation>
    </message>
    <message>
        <source>The server&apos;s address: http:// or https://, the host and its port</source>
        <translation>服务器地址：http:// 或 https://，加上主机和端口</translation>
    </message>
    <message>
        <source>Remove the stored key</source>
        <translation>删除已保存的密钥</translation>
    </message>
    <message>
        <source>Verify the server&apos;s TLS certificate</source>
        <translation>验证服务器的 TLS 证书</translation>
    </message>
    <message>
        <source>Turn off only for a server of your own with a self-signed certificate: without it, anyone on the way could pose as the server.</source>
        <translation>只有自己的服务器使用自签证书时才关闭：关闭后，途中任何人都可以冒充这台服务器。</translation>
    </message>
    <message>
        <source>Ask the server what it offers (no project text is sent)</source>
        <translation>询问服务器能提供什么（不会发送项目中的文字）</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Choose a server in the list, or add one.</source>
        <translation>在列表中选择一台服务器，或添加一台。</translation>
    </message>
    <message>
        <source>A key is stored for this server (never shown).</source>
        <translation>已为此服务器保存了密钥（从不显示）。</translation>
    </message>
    <message>
        <source>Type a new key to replace the stored one</source>
        <translation>输入新密钥以替换已保存的密钥</translation>
    </message>
    <message>
        <source>Optional: the server&apos;s API key or token</source>
        <translation>可选：服务器的 API 密钥或令牌</translation>
    </message>
    <message>
        <source>Test stopped.</source>
        <translation>测试已停止。</translation>
    </message>
    <message>
        <source>Testing {url}…</source>
        <translation>正在测试 {url}…</translation>
    </message>
    <message>
        <source>Stop test</source>
        <translation>停止测试</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>The server answered. Models it offers: {count}</source>
        <translation>服务器已应答。它提供的模型：{count} 个</translation>
    </message>
    <message>
        <source>… and {count} more</source>
        <translation>……另有 {count} 个</translation>
    </message>
    <message>
        <source>Server type: {kind}</source>
        <translation>服务器类型：{kind}</translation>
    </message>
</context>
<context>
    <name>ServerSpeechEngine</name>
    <message>
        <source>{id} is not a server voice.</source>
        <translation>{id} 不是服务器上的音色。</translation>
    </message>
    <message>
        <source>Connecting to {name}…</source>
        <translation>正在连接 {name}…</translation>
    </message>
    <message>
        <source>{name} has speakers 0 to {last}; there is no speaker {speaker}.</source>
        <translation>{name} 的说话人编号是 0 到 {last}，没有说话人 {speaker}。</translation>
    </message>
    <message>
        <source>{name} found nothing it can read in this text.</source>
        <translation>{name} 在这段文字中找不到能朗读的内容。</translation>
    </message>
    <message>
        <source>{reason} The {count} sentence(s) that had arrived are kept.</source>
        <translation>{reason} 已收到的 {count} 句已保留。</translation>
    </message>
    <message>
        <source>{name} changed its sample rate midway ({before} Hz, then {after} Hz).</source>
        <translation>{name} 中途改变了采样率（先是 {before} Hz，后是 {after} Hz）。</translation>
    </message>
</context>
<context>
    <name>ServerTextEngine</name>
    <message>
        <source>{id} is not a server model.</source>
        <translation>{id} 不是服务器上的模型。</translation>
    </message>
    <message>
        <source>Connecting to {name}…</source>
        <translation>正在连接 {name}…</translation>
    </message>
    <message>
        <source>{reason} What had arrived ({count} characters) is kept.</source>
        <translation>{reason} 已收到的内容（{count} 个字符）已保留。</translation>
    </message>
    <message>
        <source>Writing {index}/{count}…</source>
        <translation>正在写作 {index}/{count}…</translation>
    </message>
    <message>
        <source>Writing…</source>
        <translation>正在写作…</translation>
    </message>
</context>
<context>
    <name>Servers</name>
    <message>
        <source>A server&apos;s name must be 1 to {max} characters, without spaces at either end.</source>
        <translation>服务器名称须为 1 到 {max} 个字符，首尾不能有空格。</translation>
    </message>
    <message>
        <source>A server&apos;s name must not contain “/” or control characters.</source>
        <translation>服务器名称不能包含“/”或控制字符。</translation>
    </message>
    <message>
        <source>“{url}” is not a valid address: {reason}.</source>
        <translation>“{url}”不是有效的地址：{reason}。</translation>
    </message>
    <message>
        <source>“{url}” is not a server address: it must start with http:// or https:// and name a host.</source>
        <translation>“{url}”不是服务器地址：它必须以 http:// 或 https:// 开头并写明主机。</translation>
    </message>
    <message>
        <source>The address contains a user name or password; remove it and give the key as the server&apos;s API key instead (an address ends up in logs and shell history).</source>
        <translation>地址中含有用户名或密码；请删掉它，改为把密钥填作服务器的 API 密钥（地址会出现在日志和命令历史记录中）。</translation>
    </message>
    <message>
        <source>The address must not have a query (“?…”) or fragment (“#…”): give the key as the API key.</source>
        <translation>地址不能带查询（“?…”）或片段（“#…”）：请把密钥填作 API 密钥。</translation>
    </message>
    <message>
        <source>{name} is reached over plain http on {host}: your prompts, texts and API key cross the network unencrypted, readable by anyone on the way. Use https:// if the server offers it.</source>
        <translation>{name} 通过未加密的 http 连接 {host}：你的提示词、文字和 API 密钥会以明文经过网络，途中任何人都能读取。如果服务器支持，请使用 https://。</translation>
    </message>
    <message>
        <source>No server called “{name}”. Servers: {known}.</source>
        <translation>没有名为“{name}”的服务器。现有服务器：{known}。</translation>
    </message>
    <message>
        <source>A server called “{name}” exists already.</source>
        <translation>名为“{name}”的服务器已存在。</translation>
    </message>
    <message>
        <source>“{id}” is not a server model id.</source>
        <translation>“{id}”不是服务器模型的 ID。</translation>
    </message>
    <message>
        <source>{name} redirected the request more than {count} times.</source>
        <translation>{name} 将请求重定向超过 {count} 次。</translation>
    </message>
    <message>
        <source>{name} redirected to another address ({target}); the app does not follow it with your key and prompt. If you trust that address, use it as the server&apos;s address.</source>
        <translation>{name} 重定向到了另一个地址（{target}）；应用不会带着你的密钥和提示词跟过去。如果你信任该地址，请把它设为服务器地址。</translation>
    </message>
    <message>
        <source>The certificate of {name} ({host}) could not be verified: {detail}. If the server uses its own certificate, add it to the system&apos;s trusted certificates, or turn TLS verification off for this server.</source>
        <translation>无法验证 {name}（{host}）的证书：{detail}。如果服务器使用自签证书，请把它加入系统信任的证书，或为此服务器关闭 TLS 验证。</translation>
    </message>
    <message>
        <source>{name} ({host}) did not answer in TLS: is it an http:// server rather than https://?</source>
        <translation>{name}（{host}）没有用 TLS 应答：它是不是 http:// 服务器，而不是 https://？</translation>
    </message>
    <message>
        <source>The secure (TLS) connection to {name} ({host}) failed: {detail}.</source>
        <translation>与 {name}（{host}）的安全（TLS）连接失败：{detail}。</translation>
    </message>
    <message>
        <source>{name} refused the connection: nothing is listening at {url} (is the server running?).</source>
        <translation>{name} 拒绝连接：{url} 上没有服务在监听（服务器是否已启动？）。</translation>
    </message>
    <message>
        <source>{name} ({host}) is unreachable: no answer within {seconds} s.</source>
        <translation>无法连接 {name}（{host}）：{seconds} 秒内没有应答。</translation>
    </message>
    <message>
        <source>{name} is unreachable: the host name {host} could not be found.</source>
        <translation>无法连接 {name}：找不到主机名 {host}。</translation>
    </message>
    <message>
        <source>{name} closed the connection without answering.</source>
        <translation>{name} 未应答就关闭了连接。</translation>
    </message>
    <message>
        <source>{name} ({host}) is unreachable: {detail}.</source>
        <translation>无法连接 {name}（{host}）：{detail}。</translation>
    </message>
    <message>
        <source>{name} sent nothing for {seconds} s; the request was given up.</source>
        <translation>{name} 已 {seconds} 秒没有发送任何内容，已放弃这次请求。</translation>
    </message>
    <message>
        <source>The connection to {name} dropped in the middle of its answer.</source>
        <translation>与 {name} 的连接在应答中途断开。</translation>
    </message>
    <message>
        <source>{name} did not accept the API key (401 Unauthorized): check the key for this server.</source>
        <translation>{name} 不接受该 API 密钥（401 未授权）：请检查此服务器的密钥。</translation>
    </message>
    <message>
        <source>{name} needs an API key (401 Unauthorized): add the key for this server.</source>
        <translation>{name} 需要 API 密钥（401 未授权）：请为此服务器添加密钥。</translation>
    </message>
    <message>
        <source>{name} denied access (403 Forbidden): {detail}</source>
        <translation>{name} 拒绝访问（403 禁止）：{detail}</translation>
    </message>
    <message>
        <source>{name} has no {path} (404 Not Found): {detail}</source>
        <translation>{name} 上没有 {path}（404 未找到）：{detail}</translation>
    </message>
    <message>
        <source>{name} answered {status}: {detail}</source>
        <translation>{name} 返回 {status}：{detail}</translation>
    </message>
    <message>
        <source>{name} answered, but not as an OpenAI-compatible text server: it has no model list at {path}. Is this the right address and port?</source>
        <translation>{name} 有应答，但不是 OpenAI 兼容的文本服务器：{path} 上没有模型列表。地址和端口是否正确？</translation>
    </message>
    <message>
        <source>{name} reported an error while writing: {detail}</source>
        <translation>{name} 在写作时报告错误：{detail}</translation>
    </message>
    <message>
        <source>This app cannot test {kind} servers yet.</source>
        <translation>本应用暂时还不能测试{kind}服务器。</translation>
    </message>
    <message>
        <source>The server lists no voices; OpenAI&apos;s voice names are offered (servers such as openedai-speech map them to their own voices).</source>
        <translation>该服务器没有列出音色；这里提供 OpenAI 的音色名称（openedai-speech 等服务器会把它们对应到自己的音色）。</translation>
    </message>
    <message>
        <source>{name} answered, but not as a speech server: neither Piper&apos;s voice list (/voices) nor an OpenAI-style speech server&apos;s (/v1/audio/voices, /v1/models) is there. Is this the right address and port?</source>
        <translation>{name} 有应答，但不像语音服务器：既没有 Piper 的音色列表（/voices），也没有 OpenAI 式语音服务器的音色或模型列表（/v1/audio/voices、/v1/models）。地址和端口对吗？</translation>
    </message>
    <message>
        <source>{name} has no voice “{voice}”. Its voices: {voices}.</source>
        <translation>{name} 没有音色“{voice}”。它的音色：{voices}。</translation>
    </message>
    <message>
        <source>{name} did not answer with WAV audio ({what}).</source>
        <translation>{name} 返回的不是 WAV 音频（{what}）。</translation>
    </message>
    <message>
        <source>Nothing was sent to {name}: sending over plain http was not confirmed.</source>
        <translation>没有向 {name} 发送任何内容：未确认通过未加密的 http 发送。</translation>
    </message>
    <message>
        <source>{name} could not be reached for its live updates: {detail}</source>
        <translation>无法连接 {name} 的实时进度：{detail}</translation>
    </message>
    <message>
        <source>{name} did not open its live updates at {path} (answer {status}).</source>
        <translation>{name} 没有在 {path} 提供实时进度（应答 {status}）。</translation>
    </message>
    <message>
        <source>The live connection to {name} dropped.</source>
        <translation>与 {name} 的实时连接断开了。</translation>
    </message>
</context>
<context>
    <name>ServersDialog</name>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Speech</source>
        <translation>语音</translation>
    </message>
    <message>
        <source>Servers</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Run jobs on another computer: a text server (llama.cpp, vLLM, Ollama, LM Studio), an image server (ComfyUI) or a speech server. Its models appear in each pane&apos;s model list under its name.</source>
        <translation>在另一台电脑上运行任务：文本服务器（llama.cpp、vLLM、Ollama、LM Studio）、图像服务器（ComfyUI）或语音服务器。它的模型会以它的名称分组，出现在各个面板的模型列表中。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Last test</source>
        <translation>上次测试</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>not tested</source>
        <translation>未测试</translation>
    </message>
    <message>
        <source>models: {count}</source>
        <translation>模型：{count} 个</translation>
    </message>
    <message>
        <source>Remove server</source>
        <translation>删除服务器</translation>
    </message>
    <message>
        <source>Remove the server “{name}”? Its stored key is deleted too. What was made on it stays in your projects.</source>
        <translation>删除服务器“{name}”？它保存的密钥也会一并删除。在它上面生成的内容仍保留在你的项目中。</translation>
    </message>
</context>
<context>
    <name>Setup</name>
    <message>
        <source>No internet connection: the package server ({host}) cannot be reached. Connect to the internet and try again, or install from an offline bundle.</source>
        <translation>没有网络连接：无法访问软件包服务器（{host}）。请连接网络后重试，或用离线安装包安装。</translation>
    </message>
    <message>
        <source>Creating the Python environment…</source>
        <translation>正在创建 Python 环境…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Not enough disk space in {folder}: {needed} needed, {free} free. Free some space or choose another location.</source>
        <translation>{folder} 的磁盘空间不足：需要 {needed}，只剩 {free}。请清理一些空间，或选择其他位置。</translation>
    </message>
    <message>
        <source>Downloading {name}…</source>
        <translation>正在下载 {name}…</translation>
    </message>
    <message>
        <source>Building {name} for this computer (a few minutes)…</source>
        <translation>正在为这台电脑编译 {name}（需要几分钟）…</translation>
    </message>
    <message>
        <source>Installing {names}…</source>
        <translation>正在安装 {names}…</translation>
    </message>
    <message>
        <source>Checking the installation…</source>
        <translation>正在检查安装…</translation>
    </message>
    <message>
        <source>The installed components do not load: {error}</source>
        <translation>已安装的组件无法加载：{error}</translation>
    </message>
    <message>
        <source>{names} not found in {where}.</source>
        <translation>在 {where} 中找不到 {names}。</translation>
    </message>
    <message>
        <source>Unpacking the offline bundle…</source>
        <translation>正在解开离线安装包…</translation>
    </message>
    <message>
        <source>The offline bundle {path} could not be read: {reason}</source>
        <translation>无法读取离线安装包 {path}：{reason}</translation>
    </message>
    <message>
        <source>Could not run {program}: {reason}</source>
        <translation>无法运行 {program}：{reason}</translation>
    </message>
    <message>
        <source>The connection was lost while downloading {name}. Connect to the internet and try again, or install from an offline bundle.</source>
        <translation>下载 {name} 时网络断开了。请连接网络后重试，或用离线安装包安装。</translation>
    </message>
    <message>
        <source>{name} could not be installed.</source>
        <translation>无法安装 {name}。</translation>
    </message>
    <message>
        <source>Python 3.11 or 3.12 with its venv module is needed to build the runtime. On Debian or Ubuntu: sudo apt install python3 python3-venv</source>
        <translation>安装运行环境需要带 venv 模块的 Python 3.11 或 3.12。在 Debian 或 Ubuntu 上：sudo apt install python3 python3-venv</translation>
    </message>
    <message>
        <source>The offline bundle could not be made (pip exited with {code}).</source>
        <translation>无法制作离线安装包（pip 退出码 {code}）。</translation>
    </message>
    <message>
        <source>The requirements list is damaged (line {number}): {line}</source>
        <translation>依赖清单已损坏（第 {number} 行）：{line}</translation>
    </message>
    <message>
        <source>The requirements list for {kind} is missing: {path}</source>
        <translation>缺少 {kind} 的依赖清单：{path}</translation>
    </message>
</context>
<context>
    <name>SetupWindow</name>
    <message>
        <source>Repair AIGC Desktop</source>
        <translation>修复 AIGC Desktop</translation>
    </message>
    <message>
        <source>Set up AIGC Desktop</source>
        <translation>安装 AIGC Desktop</translation>
    </message>
    <message>
        <source>Welcome to AIGC Desktop</source>
        <translation>欢迎使用 AIGC Desktop</translation>
    </message>
    <message>
        <source>Where to install</source>
        <translation>安装位置</translation>
    </message>
    <message>
        <source>Installing</source>
        <translation>正在安装</translation>
    </message>
    <message>
        <source>AIGC Desktop is ready</source>
        <translation>AIGC Desktop 已就绪</translation>
    </message>
    <message>
        <source>AIGC Desktop needs a few components made for this computer (up to {size} to download). This is done once; afterwards the app starts straight away.</source>
        <translation>AIGC Desktop 需要安装一些适合这台电脑的组件（最多需下载 {size}）。只需安装一次，以后打开即可直接使用。</translation>
    </message>
    <message>
        <source>AIGC Desktop needs a few components made for this computer (about {size} to download). This is done once; afterwards the app starts straight away.</source>
        <translation>AIGC Desktop 需要安装一些适合这台电脑的组件（约需下载 {size}）。只需安装一次，以后打开即可直接使用。</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <source>What this computer has</source>
        <translation>这台电脑的硬件</translation>
    </message>
    <message>
        <source>Install for:</source>
        <translation>安装版本：</translation>
    </message>
    <message>
        <source>You chose differently from what was found; you can change it later with Repair installation.</source>
        <translation>你的选择与检测结果不同；以后可以用“修复安装”更改。</translation>
    </message>
    <message>
        <source>The components go into this folder. Your projects and models are kept elsewhere.</source>
        <translation>组件将安装到这个文件夹。你的项目和模型另外存放，不受影响。</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>更改…</translation>
    </message>
    <message>
        <source>Space needed:</source>
        <translation>所需空间：</translation>
    </message>
    <message>
        <source>Free space:</source>
        <translation>可用空间：</translation>
    </message>
    <message>
        <source>Install from an offline bundle (no internet needed)</source>
        <translation>从离线安装包安装（无需联网）</translation>
    </message>
    <message>
        <source>An offline bundle: a .tar file or a folder of wheels</source>
        <translation>离线安装包：.tar 文件或存放 wheel 的文件夹</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>No internet on this computer? Make an offline bundle on one that has it (aigc-desktop --make-bundle FOLDER) and bring it here.</source>
        <translation>这台电脑无法联网？请在能联网的电脑上制作离线安装包（aigc-desktop --make-bundle 文件夹），再拷贝过来。</translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation>隐藏详情</translation>
    </message>
    <message>
        <source>Show details</source>
        <translation>显示详情</translation>
    </message>
    <message>
        <source>Installation stopped</source>
        <translation>安装已中止</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Use an offline bundle…</source>
        <translation>使用离线安装包…</translation>
    </message>
    <message>
        <source>Choose another folder</source>
        <translation>选择其他文件夹</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>上一步</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>No NVIDIA graphics card was found: pictures, speech and text will be made on the processor (slower).</source>
        <translation>没有找到 NVIDIA 显卡：图片、语音和文字将由处理器生成（较慢）。</translation>
    </message>
    <message>
        <source>Graphics card: {name} with {memory} of memory.</source>
        <translation>显卡：{name}，显存 {memory}。</translation>
    </message>
    <message>
        <source>up to {size}</source>
        <translation>最多 {size}</translation>
    </message>
    <message>
        <source>This folder cannot be written to. Choose another one.</source>
        <translation>无法写入这个文件夹，请选择其他文件夹。</translation>
    </message>
    <message>
        <source>Not enough free space here. Free some space or choose another folder.</source>
        <translation>这里的可用空间不足。请清理一些空间，或选择其他文件夹。</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>{done} of {total} downloaded</source>
        <translation>已下载 {done}，共 {total}</translation>
    </message>
    <message>
        <source>{done} of {total} packages installed</source>
        <translation>已安装 {done} 个软件包，共 {total} 个</translation>
    </message>
    <message>
        <source>Estimating the time left…</source>
        <translation>正在估算剩余时间…</translation>
    </message>
    <message>
        <source>About {time} left</source>
        <translation>约剩 {time}</translation>
    </message>
    <message>
        <source>Everything is installed in {folder}. Next time AIGC Desktop starts straight away.</source>
        <translation>全部组件已安装到 {folder}。下次打开 AIGC Desktop 会直接启动。</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Install</source>
        <translation>安装</translation>
    </message>
    <message>
        <source>Start AIGC Desktop</source>
        <translation>启动 AIGC Desktop</translation>
    </message>
    <message>
        <source>Choose an offline bundle</source>
        <translation>选择离线安装包</translation>
    </message>
    <message>
        <source>Offline bundles (*.tar *.tar.gz *.zip bundle.json)</source>
        <translation>离线安装包 (*.tar *.tar.gz *.zip bundle.json)</translation>
    </message>
    <message>
        <source>Installation cancelled. Nothing was left half-installed.</source>
        <translation>安装已取消，没有留下装了一半的文件。</translation>
    </message>
</context>
<context>
    <name>SpeechControls</name>
    <message>
        <source>Narrate selection</source>
        <translation>朗读选中的文字</translation>
    </message>
    <message>
        <source>Narrate the document&apos;s selection</source>
        <translation>朗读文档中选中的文字</translation>
    </message>
    <message>
        <source>Narrate document</source>
        <translation>朗读整篇文档</translation>
    </message>
    <message>
        <source>Narrate the whole document</source>
        <translation>朗读整篇文档</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Synthesise the text, sentence by sentence</source>
        <translation>逐句合成这段文字的语音</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop generating</source>
        <translation>停止生成</translation>
    </message>
    <message>
        <source>Type the text to narrate, or take it from the document below.</source>
        <translation>输入要朗读的文字，或用下方按钮朗读文档中的文字。</translation>
    </message>
    <message>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Play while generating</source>
        <translation>边生成边播放</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>语速</translation>
    </message>
    <message>
        <source>Variation</source>
        <translation>语调变化</translation>
    </message>
    <message>
        <source>Sentence pause</source>
        <translation>句间停顿</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>No voice is installed. Put a Piper voice into {folder}.</source>
        <translation>还没有安装音色。请把 Piper 音色放入 {folder}。</translation>
    </message>
    <message>
        <source>Type or pick some text to narrate first.</source>
        <translation>请先输入或选取要朗读的文字。</translation>
    </message>
</context>
<context>
    <name>SpeechEngine</name>
    <message>
        <source>There is no text to read.</source>
        <translation>没有要朗读的文字。</translation>
    </message>
    <message>
        <source>Sentence {index}/{count}</source>
        <translation>第 {index}/{count} 句</translation>
    </message>
</context>
<context>
    <name>StoryEncoder</name>
    <message>
        <source>No H.264 encoder is available in this installation.</source>
        <translation>此安装中没有可用的 H.264 编码器。</translation>
    </message>
    <message>
        <source>the disk is full (or the file is too large for it)</source>
        <translation>磁盘已满（或文件超出磁盘允许的大小）</translation>
    </message>
    <message>
        <source>the folder is read-only</source>
        <translation>文件夹为只读</translation>
    </message>
    <message>
        <source>Could not write the video {path}: {reason}. Nothing was left behind; your story is kept.</source>
        <translation>无法写入视频 {path}：{reason}。没有留下残缺文件，你的故事仍然保留。</translation>
    </message>
</context>
<context>
    <name>StoryExport</name>
    <message>
        <source>The aspect ratio must be one of {choices}.</source>
        <translation>画面比例必须是以下之一：{choices}。</translation>
    </message>
    <message>
        <source>The height must be 720 or 1080.</source>
        <translation>高度必须是 720 或 1080。</translation>
    </message>
    <message>
        <source>The frame rate must be 24 or 30.</source>
        <translation>帧率必须是 24 或 30。</translation>
    </message>
    <message>
        <source>The video must be an .mp4 file (got {name}).</source>
        <translation>视频必须是 .mp4 文件（收到的是 {name}）。</translation>
    </message>
    <message>
        <source>Exported {name}</source>
        <translation>已导出 {name}</translation>
    </message>
    <message>
        <source>Frame {frame} of {total}</source>
        <translation>第 {frame} 帧，共 {total} 帧</translation>
    </message>
</context>
<context>
    <name>StoryExportWorker</name>
    <message>
        <source>The export failed: {reason}</source>
        <translation>导出失败：{reason}</translation>
    </message>
</context>
<context>
    <name>StoryModel</name>
    <message>
        <source>Choose a scene first.</source>
        <translation>请先选择一个场景。</translation>
    </message>
    <message>
        <source>There is no text to make scenes from.</source>
        <translation>没有可用来生成场景的文字。</translation>
    </message>
    <message>
        <source>Choose a scene that has another after it.</source>
        <translation>请选择后面还有场景的场景。</translation>
    </message>
    <message>
        <source>Put the text cursor where the scene should be split, inside its text.</source>
        <translation>请把文字光标放在场景文字中要拆分的位置。</translation>
    </message>
    <message>
        <source>Choose a canvas layer.</source>
        <translation>请选择一个画布图层。</translation>
    </message>
    <message>
        <source>The scene has no text to narrate.</source>
        <translation>这个场景没有可朗读的文字。</translation>
    </message>
    <message>
        <source>Narrate scene</source>
        <translation>朗读场景</translation>
    </message>
    <message>
        <source>Write a prompt for the scene&apos;s picture first.</source>
        <translation>请先为场景图片写一段提示词。</translation>
    </message>
    <message>
        <source>Paint scene</source>
        <translation>绘制场景</translation>
    </message>
    <message>
        <source>The scene this was made for is no longer in the story.</source>
        <translation>这条记录所属的场景已不在故事中。</translation>
    </message>
    <message>
        <source>Scene {n} narrated</source>
        <translation>场景 {n} 已朗读</translation>
    </message>
    <message>
        <source>Scene {n} painted</source>
        <translation>场景 {n} 已绘制</translation>
    </message>
    <message>
        <source>A video is being exported already.</source>
        <translation>已有一个视频正在导出。</translation>
    </message>
    <message>
        <source>Exporting {name}…</source>
        <translation>正在导出 {name}…</translation>
    </message>
    <message>
        <source>Exported {name}: {length} s of video in {seconds} s ({codec})</source>
        <translation>已导出 {name}：{length} 秒视频，用时 {seconds} 秒（{codec}）</translation>
    </message>
    <message>
        <source>Export stopped; no file was left behind.</source>
        <translation>导出已停止，没有留下文件。</translation>
    </message>
    <message>
        <source>Scene picture</source>
        <translation>场景图片</translation>
    </message>
</context>
<context>
    <name>StoryPane</name>
    <message>
        <source>Title card (the scene&apos;s text)</source>
        <translation>标题卡（场景文字）</translation>
    </message>
    <message>
        <source>A canvas layer</source>
        <translation>画布图层</translation>
    </message>
    <message>
        <source>The whole canvas</source>
        <translation>整个画布</translation>
    </message>
    <message>
        <source>A picture kept in the story</source>
        <translation>故事中保存的图片</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Slow zoom</source>
        <translation>缓慢推近</translation>
    </message>
    <message>
        <source>Slow pan</source>
        <translation>缓慢平移</translation>
    </message>
    <message>
        <source>Story</source>
        <translation>故事</translation>
    </message>
    <message>
        <source>Voice:</source>
        <translation>音色：</translation>
    </message>
    <message>
        <source>From document</source>
        <translation>从文档生成</translation>
    </message>
    <message>
        <source>Make one scene per paragraph of the document</source>
        <translation>文档每一段生成一个场景</translation>
    </message>
    <message>
        <source>From selection</source>
        <translation>从选中内容生成</translation>
    </message>
    <message>
        <source>Make one scene per paragraph of the selected text</source>
        <translation>选中文字每一段生成一个场景</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>Join this scene with the next one</source>
        <translation>把这个场景与下一个合并</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>拆分</translation>
    </message>
    <message>
        <source>Split this scene at the text cursor</source>
        <translation>在文字光标处拆分这个场景</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Scene</source>
        <translation>场景</translation>
    </message>
    <message>
        <source>Text:</source>
        <translation>文字：</translation>
    </message>
    <message>
        <source>Picture:</source>
        <translation>图片：</translation>
    </message>
    <message>
        <source>Prompt:</source>
        <translation>提示词：</translation>
    </message>
    <message>
        <source>Narration:</source>
        <translation>旁白：</translation>
    </message>
    <message>
        <source>Duration (s):</source>
        <translation>时长（秒）：</translation>
    </message>
    <message>
        <source>Motion:</source>
        <translation>镜头运动：</translation>
    </message>
    <message>
        <source>Pause after (s):</source>
        <translation>之后停顿（秒）：</translation>
    </message>
    <message>
        <source>How long a scene without narration lasts</source>
        <translation>没有旁白的场景持续多久</translation>
    </message>
    <message>
        <source>What the painted picture should show</source>
        <translation>绘制的图片应该表现什么</translation>
    </message>
    <message>
        <source>Import picture…</source>
        <translation>导入图片…</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Paint the picture from the prompt with the image model</source>
        <translation>用图像模型根据提示词绘制图片</translation>
    </message>
    <message>
        <source>Narrate</source>
        <translation>朗读</translation>
    </message>
    <message>
        <source>Read the scene&apos;s text with the chosen voice</source>
        <translation>用所选音色朗读场景文字</translation>
    </message>
    <message>
        <source>Music bed (ducked under the narration)</source>
        <translation>背景音乐（旁白时自动压低）</translation>
    </message>
    <message>
        <source>Video</source>
        <translation>视频</translation>
    </message>
    <message>
        <source>Burn subtitles into the picture</source>
        <translation>把字幕烧录进画面</translation>
    </message>
    <message>
        <source>{lines}p</source>
        <translation>{lines}p</translation>
    </message>
    <message>
        <source>{fps} fps</source>
        <translation>{fps} 帧/秒</translation>
    </message>
    <message>
        <source>Export video…</source>
        <translation>导出视频…</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Drag the video from here</source>
        <translation>从这里拖出视频</translation>
    </message>
    <message>
        <source>narrated</source>
        <translation>已朗读</translation>
    </message>
    <message>
        <source>picture</source>
        <translation>有图片</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>{n}. {text}
{seconds} s{extra}</source>
        <translation>{n}. {text}
{seconds} 秒{extra}</translation>
    </message>
    <message>
        <source>No narration</source>
        <translation>无旁白</translation>
    </message>
    <message>
        <source>No music</source>
        <translation>无音乐</translation>
    </message>
    <message>
        <source>{count} scenes made from the text</source>
        <translation>已从文字生成 {count} 个场景</translation>
    </message>
    <message>
        <source>Select some text in the Document first.</source>
        <translation>请先在文档中选中一些文字。</translation>
    </message>
    <message>
        <source>Import a picture for the scene</source>
        <translation>为场景导入图片</translation>
    </message>
    <message>
        <source>Pictures (*.png *.jpg *.jpeg *.webp *.bmp)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.webp *.bmp)</translation>
    </message>
    <message>
        <source>No image model is installed: import a picture or use a canvas layer.</source>
        <translation>没有安装图像模型：请导入图片或使用画布图层。</translation>
    </message>
    <message>
        <source>No voice is installed: add one in the Models window.</source>
        <translation>没有安装音色：请在模型窗口中添加。</translation>
    </message>
    <message>
        <source>Export video</source>
        <translation>导出视频</translation>
    </message>
    <message>
        <source>MP4 video (*.mp4)</source>
        <translation>MP4 视频 (*.mp4)</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>{percent} % · about {seconds} s left</source>
        <translation>{percent}% · 约剩 {seconds} 秒</translation>
    </message>
</context>
<context>
    <name>StoryPreview</name>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Play the scene&apos;s motion and captions (no sound)</source>
        <translation>播放场景的镜头运动和字幕（无声）</translation>
    </message>
    <message>
        <source>Scrub through the scene</source>
        <translation>拖动浏览场景</translation>
    </message>
</context>
<context>
    <name>StoryTimeline</name>
    <message>
        <source>Scene {scene} shows a canvas layer that no longer exists; choose its picture again.</source>
        <translation>场景 {scene} 使用的画布图层已不存在，请重新选择图片。</translation>
    </message>
    <message>
        <source>Scene {scene} shows a picture that is missing from the project; choose it again.</source>
        <translation>场景 {scene} 使用的图片已不在项目中，请重新选择。</translation>
    </message>
    <message>
        <source>Scene {scene} shows the canvas, but the canvas is empty.</source>
        <translation>场景 {scene} 使用画布，但画布是空的。</translation>
    </message>
    <message>
        <source>Scene {scene}&apos;s narration clip no longer exists; narrate it again or choose a clip.</source>
        <translation>场景 {scene} 的旁白片段已不存在，请重新朗读或选择一个片段。</translation>
    </message>
    <message>
        <source>Scene {scene} lasts {seconds} s; a scene lasts from {low} to {high} seconds.</source>
        <translation>场景 {scene} 时长 {seconds} 秒；场景时长须在 {low} 到 {high} 秒之间。</translation>
    </message>
    <message>
        <source>Scene {scene}&apos;s pause must be between 0 and 30 seconds.</source>
        <translation>场景 {scene} 的停顿必须在 0 到 30 秒之间。</translation>
    </message>
    <message>
        <source>The storyboard is empty: add scenes from the document first.</source>
        <translation>故事板是空的：请先从文档添加场景。</translation>
    </message>
    <message>
        <source>The story would last {hours} hours; a story can be at most {limit} hours long.</source>
        <translation>故事将长达 {hours} 小时；故事最长只能有 {limit} 小时。</translation>
    </message>
    <message>
        <source>The music bed&apos;s clip no longer exists; choose another or none.</source>
        <translation>背景音乐片段已不存在，请另选一个或不用背景音乐。</translation>
    </message>
</context>
<context>
    <name>StyleRun</name>
    <message>
        <source>Learning…</source>
        <translation>正在学习…</translation>
    </message>
    <message>
        <source>The style “{name}” is waiting to be trained: remove it after its training stops.</source>
        <translation>风格“{name}”正在排队等待训练：请在训练停止后再删除。</translation>
    </message>
    <message>
        <source>The style “{name}” is waiting to be trained: rename it after its training stops.</source>
        <translation>风格“{name}”正在排队等待训练：请在训练停止后再重命名。</translation>
    </message>
    <message>
        <source>The style “{name}” is being trained right now: remove it after its training stops.</source>
        <translation>风格“{name}”正在训练：请在训练停止后再删除。</translation>
    </message>
    <message>
        <source>The style “{name}” is being trained right now: rename it after its training stops.</source>
        <translation>风格“{name}”正在训练：请在训练停止后再重命名。</translation>
    </message>
    <message>
        <source>Learn the style {name}</source>
        <translation>学习风格 {name}</translation>
    </message>
    <message>
        <source>Reading your texts and timing the first steps…</source>
        <translation>正在读取你的文本并计时最初几步…</translation>
    </message>
    <message>
        <source>Paused after the current step. Resume goes on; Stop keeps the last saved epoch.</source>
        <translation>已在当前步之后暂停。“继续”接着学；“停止”保留最后保存的轮次。</translation>
    </message>
    <message>
        <source>Stopping after the current step…</source>
        <translation>将在当前步之后停止…</translation>
    </message>
    <message>
        <source>Learning… epoch {epoch} saved in {path}</source>
        <translation>正在学习… 第 {epoch} 轮已保存到 {path}</translation>
    </message>
    <message>
        <source>Saved the style “{name}” in {path}. Choose “{label}” in the Document&apos;s model list to write with it.</source>
        <translation>风格“{name}”已保存到 {path}。在文档的模型列表中选择“{label}”即可用它写作。</translation>
    </message>
    <message>
        <source>Stopped. The style as of epoch {epoch} is saved in {path} and listed in the Document&apos;s model list.</source>
        <translation>已停止。第 {epoch} 轮时的风格已保存到 {path}，并列在文档的模型列表中。</translation>
    </message>
    <message>
        <source>Stopped before the first epoch finished: nothing was saved.</source>
        <translation>在第一轮完成前停止：没有保存任何内容。</translation>
    </message>
    <message>
        <source>Learning failed: {message}</source>
        <translation>学习失败：{message}</translation>
    </message>
    <message>
        <source>Style “{name}” stopped after {epochs} saved epoch(s)</source>
        <translation>风格“{name}”在保存 {epochs} 轮后停止</translation>
    </message>
    <message>
        <source>Style “{name}”: {epochs} epochs on {words} words, held-back perplexity {before} → {after}</source>
        <translation>风格“{name}”：在 {words} 词上学习 {epochs} 轮，留出文本困惑度 {before} → {after}</translation>
    </message>
</context>
<context>
    <name>StyleSamples</name>
    <message>
        <source>After each epoch the model continues a passage it was not trained on: its words appear here.</source>
        <translation>每轮之后，模型会续写一段没有学过的文字，结果显示在这里。</translation>
    </message>
    <message>
        <source>The opening (held back, never trained on):</source>
        <translation>开头（留出的文本，从未学过）：</translation>
    </message>
    <message>
        <source>Before training:</source>
        <translation>训练前：</translation>
    </message>
    <message>
        <source>After epoch {epoch}:</source>
        <translation>第 {epoch} 轮之后：</translation>
    </message>
</context>
<context>
    <name>StyleTexts</name>
    <message>
        <source>A folder of texts</source>
        <translation>一个文本文件夹</translation>
    </message>
    <message>
        <source>Text files</source>
        <translation>文本文件</translation>
    </message>
    <message>
        <source>This project&apos;s document</source>
        <translation>本项目的文档</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>A folder of your texts (.txt, .md, .docx; sub-folders too)</source>
        <translation>存放你文本的文件夹（.txt、.md、.docx；含子文件夹）</translation>
    </message>
    <message>
        <source>Your text files (.txt, .md, .docx)</source>
        <translation>你的文本文件（.txt、.md、.docx）</translation>
    </message>
    <message>
        <source>The Document pane&apos;s text, as it is now</source>
        <translation>文档面板中当前的文字</translation>
    </message>
    <message>
        <source>Folder of texts to learn from</source>
        <translation>要学习的文本文件夹</translation>
    </message>
    <message>
        <source>Texts to learn from</source>
        <translation>要学习的文本</translation>
    </message>
    <message>
        <source>Texts (*.txt *.md *.markdown *.docx)</source>
        <translation>文本 (*.txt *.md *.markdown *.docx)</translation>
    </message>
    <message>
        <source>Reading your texts…</source>
        <translation>正在读取你的文本…</translation>
    </message>
    <message>
        <source>The Document is empty: write or open something first.</source>
        <translation>文档是空的：请先写点什么或打开一个项目。</translation>
    </message>
    <message>
        <source>Choose your texts: a few thousand words or more of your own writing.</source>
        <translation>选择你的文本：几千字以上你自己写的文字。</translation>
    </message>
    <message numerus="yes">
        <source>%n text(s) read</source>
        <translation>
            <numerusform>已读取 %n 个文本</numerusform>
        </translation>
    </message>
    <message>
        <source>{read}: {words} words (tokens are counted when learning starts)</source>
        <translation>{read}：{words} 词（token 数在开始学习时统计）</translation>
    </message>
    <message>
        <source>{read}: {words} words, {tokens} tokens</source>
        <translation>{read}：{words} 词，{tokens} 个 token</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) skipped:</source>
        <translation>
            <numerusform>跳过了 %n 个文件：</numerusform>
        </translation>
    </message>
    <message>
        <source>…and {more} more</source>
        <translation>…还有 {more} 个</translation>
    </message>
    <message>
        <source>Held back for checking: {tokens} tokens ({blocks} of {all} blocks), never trained on.</source>
        <translation>留出用于检验：{tokens} 个 token（{all} 块中的 {blocks} 块），从不用于训练。</translation>
    </message>
    <message>
        <source>The last {percent}% of the texts (at most {blocks} blocks) is held back, to check the style on text it never learned from.</source>
        <translation>文本最后的 {percent}%（最多 {blocks} 块）会被留出，用没学过的文字检验风格。</translation>
    </message>
</context>
<context>
    <name>Styles</name>
    <message>
        <source>Give the style a name.</source>
        <translation>请为风格命名。</translation>
    </message>
    <message>
        <source>The name &apos;{name}&apos; cannot hold path separators or any of : * ? &quot; &lt; &gt; |.</source>
        <translation>名称“{name}”不能包含路径分隔符或 : * ? &quot; &lt; &gt; | 中的任何字符。</translation>
    </message>
    <message>
        <source>The name cannot start with a dot.</source>
        <translation>名称不能以点开头。</translation>
    </message>
    <message>
        <source>The name is too long (at most {max} characters).</source>
        <translation>名称太长（最多 {max} 个字符）。</translation>
    </message>
    <message>
        <source>A style named &apos;{name}&apos; already exists; choose another name.</source>
        <translation>已有名为“{name}”的风格，请换一个名称。</translation>
    </message>
    <message>
        <source>There is no style named &apos;{name}&apos;.</source>
        <translation>没有名为“{name}”的风格。</translation>
    </message>
    <message>
        <source>written with style {name}, trained on {words} words of your texts</source>
        <translation>使用风格“{name}”写作，该风格学习了你的 {words} 字文本</translation>
    </message>
    <message>
        <source>Could not create {folder}: {reason}.</source>
        <translation>无法创建 {folder}：{reason}。</translation>
    </message>
    <message>
        <source>The style &apos;{name}&apos; is already being trained; wait for that run to end or stop it.</source>
        <translation>风格“{name}”已经在训练中；请等那次训练结束，或先停止它。</translation>
    </message>
    <message>
        <source>Could not save the style to {folder}: {reason}.</source>
        <translation>无法把风格保存到 {folder}：{reason}。</translation>
    </message>
    <message>
        <source>The style &apos;{name}&apos; is being trained right now: rename it after its training stops.</source>
        <translation>风格“{name}”正在训练：请在训练停止后再重命名。</translation>
    </message>
    <message>
        <source>Could not rename the style: {reason}.</source>
        <translation>无法重命名风格：{reason}。</translation>
    </message>
    <message>
        <source>The style &apos;{name}&apos; is being trained right now: remove it after its training stops.</source>
        <translation>风格“{name}”正在训练：请在训练停止后再删除。</translation>
    </message>
    <message>
        <source>Could not remove the style: {reason}.</source>
        <translation>无法删除风格：{reason}。</translation>
    </message>
    <message>
        <source>Could not export the style to {path}: {reason}.</source>
        <translation>无法把风格导出到 {path}：{reason}。</translation>
    </message>
    <message>
        <source>{path} is not a style file ({reason}).</source>
        <translation>{path} 不是风格文件（{reason}）。</translation>
    </message>
    <message>
        <source>{path} is not a style file (unexpected contents).</source>
        <translation>{path} 不是风格文件（内容不符）。</translation>
    </message>
    <message>
        <source>{path} is too large to be a style.</source>
        <translation>{path} 太大，不可能是风格文件。</translation>
    </message>
    <message>
        <source>Could not import {path}: {reason}.</source>
        <translation>无法导入 {path}：{reason}。</translation>
    </message>
    <message>
        <source>A style named &apos;{name}&apos; is being trained right now; choose another name.</source>
        <translation>名为“{name}”的风格正在训练，请换一个名称。</translation>
    </message>
</context>
<context>
    <name>StylesTab</name>
    <message>
        <source>Style</source>
        <translation>风格</translation>
    </message>
    <message>
        <source>Base model</source>
        <translation>基础模型</translation>
    </message>
    <message>
        <source>Trained on</source>
        <translation>训练文本</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Held-back perplexity</source>
        <translation>留出文本困惑度</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>cut off: can go on</source>
        <translation>已中断：可接着学</translation>
    </message>
    <message>
        <source>stopped: can go on</source>
        <translation>已停止：可接着学</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Save the style as one small file, to keep or to use on another computer</source>
        <translation>把风格存成一个小文件，用于备份或在另一台电脑上使用</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Add a style from a file exported by AIGC Desktop</source>
        <translation>从 AIGC Desktop 导出的文件添加风格</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Delete the style (your texts are not touched)</source>
        <translation>删除风格（不会动你的文本）</translation>
    </message>
    <message>
        <source>{name} ({status})</source>
        <translation>{name}（{status}）</translation>
    </message>
    <message>
        <source>{base} (not installed)</source>
        <translation>{base}（未安装）</translation>
    </message>
    <message numerus="yes">
        <source>%n word(s)</source>
        <translation>
            <numerusform>%n 词</numerusform>
        </translation>
    </message>
    <message>
        <source>{before} → {after}</source>
        <translation>{before} → {after}</translation>
    </message>
    <message>
        <source>On text held back from learning; lower is better</source>
        <translation>在留出未学的文本上测得；越低越好</translation>
    </message>
    <message>
        <source>Rename style</source>
        <translation>重命名风格</translation>
    </message>
    <message>
        <source>New name for “{name}”:</source>
        <translation>“{name}”的新名称：</translation>
    </message>
    <message>
        <source>Renamed “{old}” to “{new}”.</source>
        <translation>已将“{old}”重命名为“{new}”。</translation>
    </message>
    <message>
        <source>Export style</source>
        <translation>导出风格</translation>
    </message>
    <message>
        <source>AIGC Desktop styles (*{suffix})</source>
        <translation>AIGC Desktop 风格 (*{suffix})</translation>
    </message>
    <message>
        <source>Exported “{name}” to {path}.</source>
        <translation>已将“{name}”导出到 {path}。</translation>
    </message>
    <message>
        <source>Import style</source>
        <translation>导入风格</translation>
    </message>
    <message>
        <source>Imported the style “{name}”.</source>
        <translation>已导入风格“{name}”。</translation>
    </message>
    <message>
        <source>Imported the style “{name}”. Install its base model {base} to write with it.</source>
        <translation>已导入风格“{name}”。安装其基础模型 {base} 后即可用它写作。</translation>
    </message>
    <message>
        <source>Delete the style “{name}” from {folder}? Your texts are not touched. This cannot be undone.</source>
        <translation>从 {folder} 删除风格“{name}”？不会动你的文本。此操作无法撤销。</translation>
    </message>
    <message>
        <source>Remove style</source>
        <translation>删除风格</translation>
    </message>
    <message>
        <source>Removed the style “{name}”.</source>
        <translation>已删除风格“{name}”。</translation>
    </message>
</context>
<context>
    <name>TextAction</name>
    <message>
        <source>“{action}” needs an instruction-tuned (chat) model; the selected model is a base model that can only continue text. Install an -Instruct model to use it.</source>
        <translation>“{action}”需要经过指令微调的（对话）模型；所选模型是基础模型，只会接着文字往下写。请安装一个 -Instruct 模型再使用。</translation>
    </message>
    <message>
        <source>Poem</source>
        <translation>写诗</translation>
    </message>
    <message>
        <source>Title / headline</source>
        <translation>拟标题</translation>
    </message>
    <message>
        <source>Slogan</source>
        <translation>广告语</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Expand</source>
        <translation>扩写</translation>
    </message>
    <message>
        <source>Rewrite</source>
        <translation>改写</translation>
    </message>
    <message>
        <source>Shorten</source>
        <translation>缩写</translation>
    </message>
    <message>
        <source>Translate zh↔en</source>
        <translation>中英互译</translation>
    </message>
    <message>
        <source>Brainstorm from my interests</source>
        <translation>根据兴趣写作</translation>
    </message>
    <message>
        <source>Draft an image prompt</source>
        <translation>拟写图像提示词</translation>
    </message>
    <message>
        <source>Draft a music prompt</source>
        <translation>拟写音乐提示词</translation>
    </message>
</context>
<context>
    <name>TextControls</name>
    <message>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Leave blank for a random seed; the seed used is recorded in the history</source>
        <translation>留空则使用随机种子；用过的种子会记在历史记录里</translation>
    </message>
    <message>
        <source>e.g. \n\n | THE END</source>
        <translation>例如 \n\n | 全文完</translation>
    </message>
    <message>
        <source>Stop sequences, separated by |; \n means a line break</source>
        <translation>停止词，用 | 分隔；\n 表示换行</translation>
    </message>
    <message>
        <source>Greedy (always the most likely word)</source>
        <translation>贪心（总是选最可能的词）</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Repetition penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <source>Max new tokens</source>
        <translation>最多生成 token 数</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>多个版本</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Stop at</source>
        <translation>停止于</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> 个 token</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>How much of the text before the cursor the model reads. More context costs more memory; a longer document is read from a start that moves in large steps.</source>
        <translation>模型读取光标前多少文字。上下文越长，占用内存越多；更长的文档从一个按大步移动的起点开始读取。</translation>
    </message>
    <message>
        <source>Up to {tokens} tokens; this model&apos;s memory use per token is not known.</source>
        <translation>最多 {tokens} 个 token；此模型每个 token 占用的内存未知。</translation>
    </message>
    <message>
        <source>{tokens} tokens: about {total} MB of memory in all ({model} MB model + {kv} MB to read with, {per_token} KB per token, + {work} MB working memory + {app} MB the app itself). The model was trained for {trained} tokens; this machine has {ram} GB.</source>
        <translation>{tokens} 个 token：共约占 {total} MB 内存（模型 {model} MB + 阅读缓存 {kv} MB，每个 token {per_token} KB，+ 运算内存 {work} MB + 软件本身 {app} MB）。该模型训练时的上下文为 {trained} 个 token；本机内存 {ram} GB。</translation>
    </message>
</context>
<context>
    <name>TextEngine</name>
    <message>
        <source>Loading {name}…</source>
        <translation>正在加载 {name}…</translation>
    </message>
    <message>
        <source>{name} could not be loaded: {path} is not a file.</source>
        <translation>{name} 无法加载：{path} 不是文件。</translation>
    </message>
    <message>
        <source>{name} could not be loaded: {reason} (is it a complete GGUF file of an architecture llama.cpp supports?)</source>
        <translation>{name} 无法加载：{reason}（它是 llama.cpp 支持的架构的完整 GGUF 文件吗？）</translation>
    </message>
    <message>
        <source>The text is too long for {name}: with the instruction it makes {tokens} tokens, and {name} reads at most {limit} (the rest of its {context}-token context is kept for the answer). Select a shorter passage.</source>
        <translation>文字太长，{name} 读不下：连同指令共 {tokens} 个 token，而 {name} 最多只能读 {limit} 个（{context} 个 token 的上下文其余部分要留给回答）。请选中短一些的段落。</translation>
    </message>
    <message>
        <source>Writing {index}/{count}…</source>
        <translation>正在写第 {index}/{count} 篇…</translation>
    </message>
    <message>
        <source>Writing…</source>
        <translation>正在写…</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>Loading torch and transformers…</source>
        <translation>正在加载 torch 和 transformers…</translation>
    </message>
    <message>
        <source>as a transformers text model</source>
        <translation>作为 transformers 文本模型</translation>
    </message>
    <message>
        <source>No text model is loaded.</source>
        <translation>没有加载文本模型。</translation>
    </message>
    <message>
        <source>The prompt gives no tokens for this model.</source>
        <translation>这段提示词对这个模型来说没有任何 token。</translation>
    </message>
    <message>
        <source>The prompt is {tokens} tokens long but {name} reads at most {limit}: shorten it.</source>
        <translation>提示词有 {tokens} 个 token，但 {name} 最多只能读 {limit} 个：请缩短提示词。</translation>
    </message>
</context>
<context>
    <name>TextParams</name>
    <message>
        <source>Max new tokens must be between 1 and {max}.</source>
        <translation>最多生成 token 数必须在 1 到 {max} 之间。</translation>
    </message>
    <message>
        <source>The context size must not be negative.</source>
        <translation>上下文长度不能为负数。</translation>
    </message>
    <message>
        <source>Temperature must not be negative.</source>
        <translation>温度不能为负数。</translation>
    </message>
    <message>
        <source>Top-p must be in (0, 1].</source>
        <translation>Top-p 必须在 (0, 1] 之间。</translation>
    </message>
    <message>
        <source>Top-k must not be negative.</source>
        <translation>Top-k 不能为负数。</translation>
    </message>
    <message>
        <source>Repetition penalty must be positive.</source>
        <translation>重复惩罚必须大于 0。</translation>
    </message>
    <message>
        <source>The number of texts must be between 1 and {max}.</source>
        <translation>文本数量必须在 1 到 {max} 之间。</translation>
    </message>
    <message>
        <source>Beams must be at least 1 and at least the number of texts asked for.</source>
        <translation>束数至少为 1，并且不能少于要求的文本数量。</translation>
    </message>
    <message>
        <source>Bad text parameters: {reason}</source>
        <translation>文本参数有误：{reason}</translation>
    </message>
    <message>
        <source>The prompt is empty: write or select some text first.</source>
        <translation>提示词是空的：请先写一些文字或选中一些文字。</translation>
    </message>
</context>
<context>
    <name>ToolBar</name>
    <message>
        <source>Canvas ▾</source>
        <translation>画布 ▾</translation>
    </message>
    <message>
        <source>Crop, resize or extend the canvas; selection and mask commands</source>
        <translation>裁剪、缩放或扩展画布；选区和蒙版命令</translation>
    </message>
</context>
<context>
    <name>ToolOptions</name>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Hardness</source>
        <translation>硬度</translation>
    </message>
    <message>
        <source>Tolerance</source>
        <translation>容差</translation>
    </message>
    <message>
        <source>Font</source>
        <translation>字体</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>增加</translation>
    </message>
    <message>
        <source>The brush adds to the mask</source>
        <translation>画笔增加蒙版区域</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>去除</translation>
    </message>
    <message>
        <source>The brush removes mask</source>
        <translation>画笔去除蒙版区域</translation>
    </message>
</context>
<context>
    <name>TrainDialog</name>
    <message>
        <source>GAN (DCGAN): new pictures like yours</source>
        <translation>GAN（DCGAN）：生成与你的图片相似的新图片</translation>
    </message>
    <message>
        <source>VAE: new pictures, variations, in-betweens</source>
        <translation>VAE：新图片、变体和过渡图</translation>
    </message>
    <message>
        <source>Training…</source>
        <translation>正在训练…</translation>
    </message>
    <message>
        <source>Train on my images</source>
        <translation>用我的图片训练</translation>
    </message>
    <message>
        <source>A folder of your pictures (PNG, JPEG, WebP, BMP)</source>
        <translation>存放你图片的文件夹（PNG、JPEG、WebP、BMP）</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Passes over all your pictures; a checkpoint is saved after each one</source>
        <translation>完整学习一遍所有图片算一轮；每轮结束都会保存一次</translation>
    </message>
    <message>
        <source>Pictures per training step</source>
        <translation>每个训练步使用的图片数</translation>
    </message>
    <message>
        <source>The new model&apos;s name: it is saved in the models folder under image/&lt;name&gt;</source>
        <translation>新模型的名称：会保存在模型文件夹的 image/&lt;名称&gt; 下</translation>
    </message>
    <message>
        <source>Pictures:</source>
        <translation>图片：</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Epochs:</source>
        <translation>轮次：</translation>
    </message>
    <message>
        <source>Batch size:</source>
        <translation>批大小：</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop now; the last finished epoch stays saved as a usable model</source>
        <translation>立即停止；最后完成的一轮会作为可用的模型保留</translation>
    </message>
    <message>
        <source>Samples (the same noise each time)</source>
        <translation>样图（每次使用相同的噪声）</translation>
    </message>
    <message>
        <source>Losses</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Folder of pictures to train on</source>
        <translation>用于训练的图片文件夹</translation>
    </message>
    <message>
        <source>The folder needs at least {min} usable pictures to train on.</source>
        <translation>文件夹中至少需要 {min} 张可用的图片才能训练。</translation>
    </message>
    <message>
        <source>Train {name}</source>
        <translation>训练 {name}</translation>
    </message>
    <message>
        <source>Waiting for the trainer…</source>
        <translation>正在等待训练器…</translation>
    </message>
    <message>
        <source>Paused: the model waits after its current step. Resume goes on; Stop keeps the last epoch.</source>
        <translation>已暂停：模型在当前这一步之后等待。点“继续”接着训练；点“停止”会保留最后完成的一轮。</translation>
    </message>
    <message>
        <source>Stopping after the current step…</source>
        <translation>将在当前这一步之后停止…</translation>
    </message>
    <message>
        <source>Done: {epochs} epochs on {images} pictures</source>
        <translation>完成：用 {images} 张图片训练了 {epochs} 轮</translation>
    </message>
    <message>
        <source>{speed} images/s · {time} of training</source>
        <translation>{speed} 张/秒 · 训练用时 {time}</translation>
    </message>
    <message>
        <source>Epoch {epoch} of {epochs} · step {step} of {steps} · {images} pictures</source>
        <translation>第 {epoch}/{epochs} 轮 · 第 {step}/{steps} 步 · {images} 张图片</translation>
    </message>
    <message>
        <source>{speed} images/s</source>
        <translation>{speed} 张/秒</translation>
    </message>
    <message>
        <source>{rate} · about {time} left</source>
        <translation>{rate} · 约剩 {time}</translation>
    </message>
    <message>
        <source>Starting: {epochs} epochs on {images} pictures</source>
        <translation>正在开始：用 {images} 张图片训练 {epochs} 轮</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>尚未开始</translation>
    </message>
    <message>
        <source>Training… epoch {epoch} saved in {path}</source>
        <translation>正在训练… 第 {epoch} 轮已保存到 {path}</translation>
    </message>
    <message>
        <source>Saved “{id}” in {path}. It is listed in the Canvas model selector: choose it there to make new pictures.</source>
        <translation>已将“{id}”保存到 {path}。它已出现在画布的模型选择器中：在那里选中它即可生成新图片。</translation>
    </message>
    <message>
        <source>Stopped. The model as of epoch {epoch} is saved in {path} and listed in the Canvas model selector.</source>
        <translation>已停止。第 {epoch} 轮时的模型已保存到 {path}，并已出现在画布的模型选择器中。</translation>
    </message>
    <message>
        <source>Stopped before the first epoch finished: nothing was saved.</source>
        <translation>在第一轮完成前就已停止：没有保存任何内容。</translation>
    </message>
    <message>
        <source>Training failed: {message}</source>
        <translation>训练失败：{message}</translation>
    </message>
    <message>
        <source>Choose a folder: every picture in it and its sub-folders is used.</source>
        <translation>请选择一个文件夹：其中及子文件夹里的所有图片都会用于训练。</translation>
    </message>
    <message numerus="yes">
        <source> (%n unreadable file(s) will be skipped)</source>
        <translation>
            <numerusform>（将跳过 %n 个无法读取的文件）</numerusform>
        </translation>
    </message>
    <message>
        <source>No pictures found in this folder{unreadable}.</source>
        <translation>这个文件夹里没有找到图片{unreadable}。</translation>
    </message>
    <message numerus="yes">
        <source>%n usable picture(s) found{unreadable}: at least {min} are needed.</source>
        <translation>
            <numerusform>找到 %n 张可用的图片{unreadable}：至少需要 {min} 张。</numerusform>
        </translation>
    </message>
    <message>
        <source> (a hundred or more give better results)</source>
        <translation>（一百张以上，结果会更好）</translation>
    </message>
    <message numerus="yes">
        <source>%n usable picture(s) found{unreadable}{hint}.</source>
        <translation>
            <numerusform>找到 %n 张可用的图片{unreadable}{hint}。</numerusform>
        </translation>
    </message>
    <message>
        <source>{kind} “{name}” stopped (the last finished epoch, if any, was kept)</source>
        <translation>{kind}“{name}”已停止（如有已完成的轮次，保留最后一轮）</translation>
    </message>
    <message>
        <source>{kind} “{id}”: {epochs} epochs on {images} pictures</source>
        <translation>{kind}“{id}”：用 {images} 张图片训练了 {epochs} 轮</translation>
    </message>
</context>
<context>
    <name>TrainedImageEngine</name>
    <message>
        <source>Loading {name}…</source>
        <translation>正在加载 {name}…</translation>
    </message>
    <message>
        <source>{name} does not say how its network is built (no &apos;config&apos; in aigc_model.json).</source>
        <translation>{name} 没有说明网络结构（aigc_model.json 中没有“config”）。</translation>
    </message>
    <message>
        <source>{name} is a &apos;{backend}&apos; model, which this engine does not run.</source>
        <translation>{name} 是“{backend}”模型，本引擎无法运行。</translation>
    </message>
    <message>
        <source>{name} could not be loaded: its weights do not fit its description ({reason}).</source>
        <translation>无法加载 {name}：权重与描述不符（{reason}）。</translation>
    </message>
    <message>
        <source>No trained image model is loaded.</source>
        <translation>没有加载训练好的图像模型。</translation>
    </message>
    <message>
        <source>{name} is a small trained model: it can make new pictures, not {mode}.</source>
        <translation>{name} 是自己训练的小模型：只能生成新图片，不能做 {mode}。</translation>
    </message>
    <message>
        <source>{name} is a GAN, which cannot start from a picture: train a VAE for variations and interpolation.</source>
        <translation>{name} 是 GAN，不能从图片出发：要做变体和插值，请训练一个 VAE。</translation>
    </message>
    <message>
        <source>Picture {index}/{count}</source>
        <translation>第 {index}/{count} 张</translation>
    </message>
    <message>
        <source>prompt ignored: this model was trained on pictures alone and takes no text</source>
        <translation>已忽略提示词：这个模型只用图片训练，不接受文字</translation>
    </message>
    <message>
        <source>{network} trained on {count} images ({epochs} epochs)</source>
        <translation>用 {count} 张图片训练的 {network}（{epochs} 轮）</translation>
    </message>
    <message>
        <source>{trained}: variations, latent code plus noise at strength {strength}</source>
        <translation>{trained}：变体，潜在编码加噪声，强度 {strength}</translation>
    </message>
    <message>
        <source>{trained}: straight-line interpolation in latent space</source>
        <translation>{trained}：在潜在空间中直线插值</translation>
    </message>
    <message>
        <source>an end image</source>
        <translation>一张结束图片</translation>
    </message>
    <message>
        <source>an init image</source>
        <translation>一张起始图片</translation>
    </message>
    <message>
        <source>This mode needs {what}.</source>
        <translation>此模式需要{what}。</translation>
    </message>
    <message>
        <source>There is no image at {path}.</source>
        <translation>{path} 处没有图片。</translation>
    </message>
</context>
<context>
    <name>Training</name>
    <message>
        <source>Loading torch…</source>
        <translation>正在加载 torch…</translation>
    </message>
    <message>
        <source>There is no folder at {folder}.</source>
        <translation>{folder} 处没有文件夹。</translation>
    </message>
    <message>
        <source>Reading pictures in {folder}…</source>
        <translation>正在读取 {folder} 中的图片…</translation>
    </message>
    <message>
        <source>Reading pictures {done}/{total}…</source>
        <translation>正在读取图片 {done}/{total}…</translation>
    </message>
    <message>
        <source>Training a {kind} on {count} pictures…</source>
        <translation>正在用 {count} 张图片训练 {kind}…</translation>
    </message>
    <message>
        <source>A model named &apos;{name}&apos; already exists ({folder}); choose another name.</source>
        <translation>已有名为“{name}”的模型（{folder}），请换一个名称。</translation>
    </message>
    <message>
        <source>Could not create {folder}: {reason}.</source>
        <translation>无法创建 {folder}：{reason}。</translation>
    </message>
    <message>
        <source>Could not save the model to {folder}: {reason}.</source>
        <translation>无法把模型保存到 {folder}：{reason}。</translation>
    </message>
    <message>
        <source>{path} cannot be read: {reason}.</source>
        <translation>无法读取 {path}：{reason}。</translation>
    </message>
    <message>
        <source>{path} is not a model description.</source>
        <translation>{path} 不是模型描述文件。</translation>
    </message>
    <message>
        <source>{folder} has no {file}: it was not trained to the end of an epoch.</source>
        <translation>{folder} 中没有 {file}：它没有训练完任何一轮。</translation>
    </message>
    <message>
        <source>{path} is damaged ({reason}).</source>
        <translation>{path} 已损坏（{reason}）。</translation>
    </message>
    <message>
        <source>{folder} holds no pictures (PNG, JPEG, WebP or BMP), so there is nothing to train on.</source>
        <translation>{folder} 中没有图片（PNG、JPEG、WebP 或 BMP），无法训练。</translation>
    </message>
    <message>
        <source> ({count} more could not be read)</source>
        <translation>（另有 {count} 个无法读取）</translation>
    </message>
    <message>
        <source>{folder} has 1 usable picture{unreadable}</source>
        <translation>{folder} 中只有 1 张可用的图片{unreadable}</translation>
    </message>
    <message>
        <source>{folder} has {count} usable pictures{unreadable}</source>
        <translation>{folder} 中有 {count} 张可用的图片{unreadable}</translation>
    </message>
    <message>
        <source>{found}; training needs at least {min}, and a hundred or more give better results.</source>
        <translation>{found}；训练至少需要 {min} 张，一百张以上结果会更好。</translation>
    </message>
    <message>
        <source>your own images</source>
        <translation>你自己的图片</translation>
    </message>
    <message>
        <source>The kind must be one of {kinds}, not &apos;{kind}&apos;.</source>
        <translation>类型必须是 {kinds} 之一，不能是“{kind}”。</translation>
    </message>
    <message>
        <source>Epochs must be a whole number from 1 to {max}.</source>
        <translation>轮次必须是 1 到 {max} 之间的整数。</translation>
    </message>
    <message>
        <source>The batch size must be from 1 to {max}.</source>
        <translation>批大小必须在 1 到 {max} 之间。</translation>
    </message>
    <message>
        <source>The learning rate must be more than 0 and at most 0.1.</source>
        <translation>学习率必须大于 0 且不超过 0.1。</translation>
    </message>
    <message>
        <source>beta1 must be at least 0 and less than 1.</source>
        <translation>beta1 必须不小于 0 且小于 1。</translation>
    </message>
    <message>
        <source>The latent size must be from 2 to 1024.</source>
        <translation>潜变量大小必须在 2 到 1024 之间。</translation>
    </message>
    <message>
        <source>The width must be from 4 to 256.</source>
        <translation>宽度必须在 4 到 256 之间。</translation>
    </message>
    <message>
        <source>sample_every must be 0 (each epoch only) or more.</source>
        <translation>sample_every 必须大于等于 0（0 表示只在每轮结束时）。</translation>
    </message>
    <message>
        <source>The KL weight must be from 0 to 100.</source>
        <translation>KL 权重必须在 0 到 100 之间。</translation>
    </message>
    <message>
        <source>Precision must be auto, fp32 or bf16.</source>
        <translation>精度必须是 auto、fp32 或 bf16。</translation>
    </message>
    <message>
        <source>{first} {then}</source>
        <translation>{first}{then}</translation>
    </message>
    <message>
        <source>Bad training parameters: {reason}</source>
        <translation>训练参数有误：{reason}</translation>
    </message>
    <message>
        <source>Give the new model a name.</source>
        <translation>请为新模型起个名字。</translation>
    </message>
    <message>
        <source>The name &apos;{name}&apos; cannot hold path separators or any of : * ? &quot; &lt; &gt; |.</source>
        <translation>名称“{name}”不能包含路径分隔符，也不能包含 : * ? &quot; &lt; &gt; | 中的任何字符。</translation>
    </message>
    <message>
        <source>The name cannot start with a dot (such folders are hidden and not listed).</source>
        <translation>名称不能以点开头（这样的文件夹会被隐藏，不会列出）。</translation>
    </message>
    <message>
        <source>The name is too long (at most {max} characters).</source>
        <translation>名称太长（最多 {max} 个字符）。</translation>
    </message>
    <message>
        <source>The seed must be a whole number from 0 to {max}.</source>
        <translation>种子必须是 0 到 {max} 之间的整数。</translation>
    </message>
    <message>
        <source>Paused at epoch {epoch}/{epochs}</source>
        <translation>已在第 {epoch}/{epochs} 轮暂停</translation>
    </message>
    <message>
        <source>Epoch {epoch}/{epochs} · {speed} images/s</source>
        <translation>第 {epoch}/{epochs} 轮 · {speed} 张/秒</translation>
    </message>
</context>
<context>
    <name>Units</name>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>{minutes} min {seconds} s</source>
        <translation>{minutes} 分 {seconds} 秒</translation>
    </message>
    <message>
        <source>{hours} h {minutes} min</source>
        <translation>{hours} 小时 {minutes} 分</translation>
    </message>
    <message>
        <source>{value} GB</source>
        <translation>{value} GB</translation>
    </message>
    <message>
        <source>{size}/s</source>
        <translation>{size}/秒</translation>
    </message>
</context>
<context>
    <name>VitsEngine</name>
    <message>
        <source>Loading {name}…</source>
        <translation>正在加载 {name}…</translation>
    </message>
    <message>
        <source>{name} could not be loaded: {reason}</source>
        <translation>无法加载 {name}：{reason}</translation>
    </message>
    <message>
        <source>{name} needs a library this app does not include: {reason}</source>
        <translation>{name} 需要一个本应用没有包含的库：{reason}</translation>
    </message>
    <message>
        <source>This voice cannot read any of these characters ({name}).</source>
        <translation>这个音色读不了这些字符中的任何一个（{name}）。</translation>
    </message>
</context>
<context>
    <name>WaveformView</name>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>Select, generate or import a clip</source>
        <translation>选择、生成或导入一个片段</translation>
    </message>
</context>
</TS>
