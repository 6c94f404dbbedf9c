<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ImportTab</name>
    <message numerus="yes">
        <source>%n model(s) found on this computer. Use one where it is, or copy it.</source>
        <translation>
            <numerusform>%n model found on this computer. Use it where it is, or copy it.</numerusform>
            <numerusform>%n models found on this computer. Use one where it is, or copy it.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LearnStyleDialog</name>
    <message numerus="yes">
        <source>%n epoch(s)</source>
        <translation>
            <numerusform>%n epoch</numerusform>
            <numerusform>%n epochs</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QueueStatus</name>
    <message numerus="yes">
        <source>(+%n waiting)</source>
        <translation>
            <numerusform>(+%n waiting)</numerusform>
            <numerusform>(+%n waiting)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RecoveryDialog</name>
    <message numerus="yes">
        <source>%n word(s)</source>
        <translation>
            <numerusform>%n word</numerusform>
            <numerusform>%n words</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n layer(s)</source>
        <translation>
            <numerusform>%n layer</numerusform>
            <numerusform>%n layers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n clip(s)</source>
        <translation>
            <numerusform>%n clip</numerusform>
            <numerusform>%n clips</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n generation(s)</source>
        <translation>
            <numerusform>%n generation</numerusform>
            <numerusform>%n generations</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StyleTexts</name>
    <message numerus="yes">
        <source>%n text(s) read</source>
        <translation>
            <numerusform>%n text read</numerusform>
            <numerusform>%n texts read</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) skipped:</source>
        <translation>
            <numerusform>%n file skipped:</numerusform>
            <numerusform>%n files skipped:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StylesTab</name>
    <message numerus="yes">
        <source>%n word(s)</source>
        <translation>
            <numerusform>%n word</numerusform>
            <numerusform>%n words</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrainDialog</name>
    <message numerus="yes">
        <source> (%n unreadable file(s) will be skipped)</source>
        <translation>
            <numerusform> (%n unreadable file will be skipped)</numerusform>
            <numerusform> (%n unreadable files will be skipped)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n usable picture(s) found{unreadable}: at least {min} are needed.</source>
        <translation>
            <numerusform>%n usable picture found{unreadable}: at least {min} are needed.</numerusform>
            <numerusform>%n usable pictures found{unreadable}: at least {min} are needed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n usable picture(s) found{unreadable}{hint}.</source>
        <translation>
            <numerusform>%n usable picture found{unreadable}{hint}.</numerusform>
            <numerusform>%n usable pictures found{unreadable}{hint}.</numerusform>
        </translation>
    </message>
</context>
</TS>
