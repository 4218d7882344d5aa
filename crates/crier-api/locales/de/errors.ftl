# crier error messages (German). Keep ids and variables in sync with en/errors.ftl.

err-102 = Ihr API-Schlüssel fehlt oder ist ungültig. Senden Sie ihn im Format „Authorization: Bearer <API key>“.
err-107 = Facebook hat den Beitrag abgelehnt. Den von Facebook angegebenen Grund finden Sie in den Details.
err-110 = X hat den Beitrag abgelehnt, da er ein Duplikat eines kürzlich veröffentlichten Beitrags ist.
err-111 = Dieses X-Konto kann keine langen Beiträge veröffentlichen. Kürzen Sie den Text auf 280 Zeichen oder aktivieren Sie lange Beiträge für das Konto.
err-132 = Der Text ist zu lang für { $network }: Das Limit liegt bei { $limit } Zeichen, der Text überschreitet es um { $overage }.
err-136 = Eine Medien-URL ist für { $network } ungültig. Medien-URLs müssen vollständige https-Adressen sein.
err-137 = Derselbe Text wurde in den letzten 48 Stunden bereits auf { $network } veröffentlicht.
err-138 = Instagram konnte den Beitrag nicht veröffentlichen. Den von Instagram angegebenen Grund finden Sie in den Details.
err-156 = { $network } ist nicht mit diesem Profil verknüpft. Verknüpfen Sie das Konto und veröffentlichen Sie den Beitrag dann erneut.
err-161 = Die Facebook-Autorisierung ist nicht mehr gültig (zum Beispiel wurde das Passwort geändert oder der Zugriff entzogen). Verknüpfen Sie Facebook erneut.
err-182 = Die Medien entsprechen nicht den Regeln von { $network } (Anzahl, Größe, Seitenverhältnis oder Dauer).
err-186 = Für dieses Profil wurde kein Beitrag mit dieser ID gefunden.
err-272 = X konnte das Konto hinter Ihren Schlüsseln nicht verifizieren: Es ist möglicherweise gesperrt oder vorübergehend blockiert, oder Ihre Schlüssel gehören zu einer anderen X-App als das verknüpfte Konto. Überprüfen Sie das Konto auf x.com.
err-379 = Threads konnte den Beitrag nicht veröffentlichen. Prüfen Sie, ob Meta die Medien herunterladen kann.
err-416 = Ihr X-Entwicklerkonto hat kein API-Guthaben mehr. Laden Sie Guthaben auf und versuchen Sie es dann erneut.
err-418 = Ihr X-Zugriffstoken hat nur Leserechte. Erteilen Sie Ihrer X-App Lese- und Schreibberechtigung und erstellen Sie ein neues Zugriffstoken.
err-419 = { $count ->
        [one] Für Beiträge auf X benötigen Sie eigene API-Schlüssel: Der Header { $missing } fehlt.
       *[other] Für Beiträge auf X benötigen Sie eigene API-Schlüssel: Die Header { $missing } fehlen.
    }
err-435 = { $cause ->
    [meta] Meta begrenzt die Instagram-Veröffentlichungen dieses Kontos (HTTP 429). Warten Sie, bevor Sie erneut etwas veröffentlichen; die von Meta verlangte Wartezeit in Sekunden steht in details.
    [velocity] Instagram hat den Beitrag blockiert, weil das Konto zu schnell veröffentlicht. Warten Sie, bevor Sie erneut etwas veröffentlichen.
    [daily] Das tägliche Instagram-Veröffentlichungslimit von Meta für dieses Konto wurde erreicht. Warten Sie, bevor Sie erneut etwas veröffentlichen.
    [limit] Das Instagram-Limit von { $limit } Beiträgen pro 24 Stunden wurde erreicht. Warten Sie, bevor Sie erneut etwas veröffentlichen; die Sekunden bis ein Platz frei wird stehen in details.
   *[other] Das Veröffentlichungslimit von Instagram wurde erreicht. Warten Sie, bevor Sie erneut etwas veröffentlichen.
}
err-436 = Instagram hat zu lange für die Verarbeitung der Medien gebraucht. Sie können den Beitrag erneut senden.
err-440 = { $network } konnte die Medien nicht von ihrer URL herunterladen. Stellen Sie sicher, dass die Adresse öffentlich ist und Crawler nicht blockiert.
err-441 = Die Optimierung des Textes (zum Beispiel das Kürzen von Links) ist für { $network } fehlgeschlagen, daher wurde nichts an { $network } gesendet.
err-444 = Facebook begrenzt die Statistik-Anfragen für diese Seite. Das Veröffentlichen funktioniert weiterhin; rufen Sie die Statistiken später erneut ab.
err-447 = Ein Test-Reel benötigt eine Hochstufungsstrategie: Setzen Sie graduationStrategy auf MANUAL oder SS_PERFORMANCE.
err-448 = Die Hochstufungsstrategie des Test-Reels ist ungültig: Verwenden Sie genau MANUAL oder SS_PERFORMANCE.
err-449 = Die Medien können nicht für ein Test-Reel verwendet werden: Es muss sich um ein einzelnes Video im Format .mp4 oder .mov handeln, nicht um ein Karussell oder eine Story.
err-450 = Das Bild konnte für { $network } nicht in JPEG umgewandelt werden. Exportieren Sie es erneut als JPEG oder PNG und versuchen Sie es noch einmal.
err-451 = Das Bild konnte für die Umwandlung nicht heruntergeladen werden. Stellen Sie sicher, dass die Adresse öffentlich und erreichbar ist.
err-452 = Das umgewandelte Bild konnte nicht zwischengespeichert werden. Dies ist ein vorübergehendes Problem; Sie können den Beitrag erneut senden.
err-453 = Beim Hochladen zu YouTube ist eine Zeitüberschreitung aufgetreten. Das ist meist nur vorübergehend; Sie können den Beitrag erneut senden.
err-454 = Der Upload-Dienst von YouTube ist vorübergehend nicht verfügbar. Sie können den Beitrag erneut senden.
err-900 = Die Anfrage ist fehlerhaft: Der Anfragetext ist kein gültiges JSON oder ein Feld hat den falschen Typ.
err-901 = Ein Pflichtfeld fehlt: { $field }.
err-902 = Die Liste der Netzwerke ist leer oder enthält ein nicht unterstütztes Netzwerk.
err-903 = Zu viele Anfragen. Warten Sie einen Moment und versuchen Sie es dann erneut.
err-904 = Dieser Profilschlüssel gehört nicht zu Ihrem Konto.
err-905 = Es ist nicht bekannt, ob { $network } den Beitrag veröffentlicht hat. Überprüfen Sie das Konto, bevor Sie erneut posten, damit der Beitrag nicht doppelt veröffentlicht wird.
err-906 = Dieser Beitrag kann nicht erneut gesendet werden: Es liegt kein Fehler vor, der wiederholt werden kann, oder er wurde bereits erneut gesendet.
err-907 = Dieser Idempotenzschlüssel wurde bereits für eine andere Anfrage verwendet.
err-908 = Die Autorisierung für { $network } ist abgelaufen oder wurde widerrufen. Verknüpfen Sie das Konto erneut.
err-909 = { $network } begrenzt derzeit die Anzahl der Anfragen. Warten Sie, bevor Sie erneut etwas veröffentlichen.
err-910 = { $network } ist vorübergehend nicht verfügbar. Sie können den Beitrag erneut senden.
err-911 = Ein interner Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.
err-912 = Dieser Endpunkt existiert nicht.
err-913 = Ein Profil mit diesem Titel existiert bereits.
err-914 = Es wurde kein Profil mit diesem Schlüssel gefunden.
err-915 = { $network } hat den Beitrag abgelehnt. Den Grund finden Sie in den Details.
err-916 = Das Planungsdatum ist ungültig. Verwenden Sie ein Datum im Format ISO 8601, zum Beispiel 2026-07-08T12:30:00Z.
err-917 = { $network } erlaubt nicht, veröffentlichte Beiträge über die API zu löschen.
err-918 = Der Beitrag wurde gelöscht, bevor er an { $network } gesendet wurde; es wurde nichts veröffentlicht.
err-919 = Es wurde kein Kurzlink mit dieser ID gefunden.
err-920 = crier bietet diesen Endpunkt noch nicht an.
err-921 = Dieser Beitrag kann nicht mehr geändert werden: Nur ein geplanter, noch nicht gesendeter Beitrag lässt sich ändern.
err-922 = Es wurde kein Medium mit dieser ID gefunden, oder es ist abgelaufen.
err-923 = { $network } erlaubt für dieses Konto nur { $limit } Beiträge pro Tag, und diese Grenze ist erreicht. Warten Sie, bevor Sie erneut etwas veröffentlichen.
err-924 = Dieser Endpunkt akzeptiert diese HTTP-Methode nicht. Der Allow-Header nennt die erlaubten Methoden.
