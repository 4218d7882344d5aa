# crier error messages (Dutch). Keep ids and variables in sync with en/errors.ftl.

err-102 = Uw API-sleutel ontbreekt of is ongeldig. Stuur deze mee als "Authorization: Bearer <API key>".
err-107 = Facebook heeft het bericht geweigerd. Bekijk de details voor de reden die Facebook opgeeft.
err-110 = X heeft het bericht geweigerd omdat het een duplicaat is van een recent bericht.
err-111 = Dit X-account kan geen lange berichten plaatsen. Kort de tekst in tot 280 tekens of schakel lange berichten in voor het account.
err-132 = De tekst is te lang voor { $network }: de limiet is { $limit } tekens en de tekst gaat daar { $overage } overheen.
err-136 = Een media-URL is niet geldig voor { $network }. Media-URL's moeten volledige https-adressen zijn.
err-137 = Dezelfde tekst is in de afgelopen 48 uur al op { $network } geplaatst.
err-138 = Instagram kon het bericht niet publiceren. Bekijk de details voor de reden die Instagram opgeeft.
err-156 = { $network } is niet gekoppeld aan dit profiel. Koppel het account en plaats het bericht opnieuw.
err-161 = De Facebook-autorisatie is niet meer geldig (bijvoorbeeld omdat het wachtwoord is gewijzigd of de toegang is ingetrokken). Koppel Facebook opnieuw.
err-182 = De media voldoen niet aan de regels van { $network } (aantal, grootte, beeldverhouding of duur).
err-186 = Er is voor dit profiel geen bericht met deze id gevonden.
err-272 = X kon het account achter uw sleutels niet verifiëren: het is mogelijk opgeschort of vergrendeld, of uw sleutels horen bij een andere X-app dan het gekoppelde account. Controleer het account op x.com.
err-379 = Threads kon het bericht niet publiceren. Controleer of Meta de media kan downloaden.
err-416 = Uw X-ontwikkelaarsaccount heeft geen API-tegoed meer. Voeg tegoed toe en probeer het opnieuw.
err-418 = Uw X-toegangstoken is alleen-lezen. Geef uw X-app lees- en schrijfrechten en maak een nieuw toegangstoken aan.
err-419 = { $count ->
        [one] Voor berichten op X zijn uw eigen API-sleutels nodig: de header { $missing } ontbreekt.
       *[other] Voor berichten op X zijn uw eigen API-sleutels nodig: de headers { $missing } ontbreken.
    }
err-435 = { $cause ->
    [meta] Meta beperkt de Instagram-publicaties van dit account (HTTP 429). Wacht even voordat u opnieuw iets plaatst; het aantal seconden dat Meta vraagt staat in details.
    [velocity] Instagram heeft het bericht geblokkeerd omdat het account te snel publiceert. Wacht even voordat u opnieuw iets plaatst.
    [daily] De dagelijkse Instagram-publicatielimiet van Meta voor dit account is bereikt. Wacht even voordat u opnieuw iets plaatst.
    [limit] De Instagram-limiet van { $limit } berichten per 24 uur is bereikt. Wacht even voordat u opnieuw iets plaatst; het aantal seconden tot er plaats vrijkomt staat in details.
   *[other] De publicatielimiet van Instagram is bereikt. Wacht even voordat u opnieuw iets plaatst.
}
err-436 = Instagram had te veel tijd nodig om de media te verwerken. U kunt het bericht opnieuw proberen te plaatsen.
err-440 = { $network } kon de media niet downloaden via de URL. Zorg ervoor dat het adres openbaar is en crawlers niet blokkeert.
err-441 = Het verbeteren van de tekst (bijvoorbeeld het inkorten van links) is mislukt voor { $network }, dus er is niets naar { $network } verzonden.
err-444 = Facebook beperkt de statistiekverzoeken voor deze pagina. Publiceren werkt nog steeds; probeer de statistieken later opnieuw op te vragen.
err-447 = Een proefreel heeft een promotiestrategie nodig: stel graduationStrategy in op MANUAL of SS_PERFORMANCE.
err-448 = De promotiestrategie van de proefreel is ongeldig: gebruik precies MANUAL of SS_PERFORMANCE.
err-449 = Deze media kunnen niet worden gebruikt voor een proefreel: het moet één .mp4- of .mov-video zijn, geen carrousel of story.
err-450 = De afbeelding kon niet naar JPEG worden geconverteerd voor { $network }. Exporteer de afbeelding opnieuw als JPEG of PNG en probeer het nogmaals.
err-451 = De afbeelding kon niet worden gedownload voor conversie. Zorg ervoor dat het adres openbaar en bereikbaar is.
err-452 = De geconverteerde afbeelding kon niet tijdelijk worden opgeslagen. Dit is een tijdelijk probleem; u kunt het bericht opnieuw proberen te plaatsen.
err-453 = Er is een time-out opgetreden bij het uploaden naar YouTube. Dit is meestal tijdelijk; u kunt het bericht opnieuw proberen te plaatsen.
err-454 = De uploadservice van YouTube is tijdelijk niet beschikbaar. U kunt het bericht opnieuw proberen te plaatsen.
err-900 = Het verzoek is onjuist opgebouwd: de body is geen geldige JSON of een veld heeft het verkeerde type.
err-901 = Er ontbreekt een verplicht veld: { $field }.
err-902 = De lijst met netwerken is leeg of bevat een netwerk dat niet wordt ondersteund.
err-903 = Te veel verzoeken. Wacht even en probeer het dan opnieuw.
err-904 = Deze profielsleutel hoort niet bij uw account.
err-905 = Het is niet bekend of { $network } het bericht heeft gepubliceerd. Controleer het account voordat u opnieuw iets plaatst, zodat het bericht niet twee keer wordt gepubliceerd.
err-906 = Dit bericht kan niet opnieuw worden geprobeerd: er is geen fout die opnieuw kan worden geprobeerd, of het is al opnieuw geprobeerd.
err-907 = Deze idempotentiesleutel is al gebruikt voor een ander verzoek.
err-908 = De autorisatie voor { $network } is verlopen of ingetrokken. Koppel het account opnieuw.
err-909 = { $network } beperkt op dit moment het aantal verzoeken. Wacht even voordat u opnieuw iets plaatst.
err-910 = { $network } is tijdelijk niet beschikbaar. U kunt het bericht opnieuw proberen te plaatsen.
err-911 = Er is een interne fout opgetreden. Probeer het later opnieuw.
err-912 = Dit eindpunt bestaat niet.
err-913 = Er bestaat al een profiel met deze titel.
err-914 = Er is geen profiel met deze sleutel gevonden.
err-915 = { $network } heeft het bericht geweigerd. Bekijk de details voor de reden.
err-916 = De geplande datum is ongeldig. Gebruik een datum in ISO 8601-notatie, zoals 2026-07-08T12:30:00Z.
err-917 = { $network } staat niet toe dat gepubliceerde berichten via de API worden verwijderd.
err-918 = Het bericht is verwijderd voordat het naar { $network } werd verzonden; er is niets gepubliceerd.
err-919 = Er is geen korte link met deze id gevonden.
err-920 = crier biedt dit eindpunt nog niet aan.
err-921 = Dit bericht kan niet meer worden gewijzigd: alleen een gepland bericht dat nog niet is verzonden kan worden bijgewerkt.
err-922 = Er is geen media met deze id gevonden, of deze is verlopen.
err-923 = { $network } staat voor dit account maar { $limit } berichten per dag toe, en die limiet is bereikt. Wacht even voordat u opnieuw iets plaatst.
err-924 = Dit endpoint accepteert deze HTTP-methode niet. De Allow-header noemt de methoden die het accepteert.
