# crier error messages (Italian). Keep ids and variables in sync with en/errors.ftl.

err-102 = La chiave API manca o non è valida. Deve essere inviata nel formato "Authorization: Bearer <API key>".
err-107 = Facebook ha rifiutato il post. Consultare i dettagli per il motivo indicato da Facebook.
err-110 = X ha rifiutato il post perché è un duplicato di un post recente.
err-111 = Questo account X non può pubblicare post lunghi. Ridurre il testo a 280 caratteri o abilitare i post lunghi per l'account.
err-132 = Il testo è troppo lungo per { $network }: il limite è di { $limit } caratteri e il testo lo supera di { $overage }.
err-136 = Un URL multimediale non è valido per { $network }. Gli URL dei contenuti multimediali devono essere indirizzi https completi.
err-137 = Lo stesso testo è già stato pubblicato su { $network } nelle ultime 48 ore.
err-138 = Instagram non è riuscito a pubblicare il post. Consultare i dettagli per il motivo indicato da Instagram.
err-156 = { $network } non è collegato a questo profilo. Collegare l'account, quindi pubblicare di nuovo.
err-161 = L'autorizzazione di Facebook non è più valida (ad esempio, la password è stata modificata o l'accesso è stato revocato). Collegare di nuovo Facebook.
err-182 = I contenuti multimediali non rispettano le regole di { $network } (numero, dimensioni, proporzioni o durata).
err-186 = Non è stato trovato alcun post con questo ID per questo profilo.
err-272 = X non è riuscito a verificare l'account associato alle chiavi: potrebbe essere sospeso o bloccato, oppure le chiavi appartengono a un'app X diversa da quella dell'account collegato. Controllare l'account su x.com.
err-379 = Threads non è riuscito a pubblicare il post. Verificare che Meta possa scaricare i contenuti multimediali.
err-416 = L'account sviluppatore X non ha più crediti API. Aggiungere crediti, quindi riprovare.
err-418 = Il token di accesso X è di sola lettura. Concedere all'app X l'autorizzazione di lettura e scrittura e generare un nuovo token di accesso.
err-419 = { $count ->
        [one] I post su X richiedono chiavi API proprie: manca l'intestazione { $missing }.
       *[other] I post su X richiedono chiavi API proprie: mancano le intestazioni { $missing }.
    }
err-435 = { $cause ->
    [meta] Meta sta limitando le pubblicazioni Instagram di questo account (HTTP 429). Attendere prima di pubblicare di nuovo; i secondi richiesti da Meta sono in details.
    [velocity] Instagram ha bloccato il post perché l'account pubblica troppo velocemente. Attendere prima di pubblicare di nuovo.
    [daily] È stato raggiunto il limite giornaliero di pubblicazioni Instagram fissato da Meta per questo account. Attendere prima di pubblicare di nuovo.
    [limit] È stato raggiunto il limite di { $limit } post Instagram ogni 24 ore. Attendere prima di pubblicare di nuovo; i secondi prima che si liberi un posto sono in details.
   *[other] È stato raggiunto il limite di pubblicazione di Instagram. Attendere prima di pubblicare di nuovo.
}
err-436 = Instagram ha impiegato troppo tempo per elaborare i contenuti multimediali. È possibile riprovare la pubblicazione.
err-440 = { $network } non è riuscito a scaricare i contenuti multimediali dal relativo URL. Assicurarsi che l'indirizzo sia pubblico e non blocchi i crawler.
err-441 = Il miglioramento del testo (ad esempio l'accorciamento dei link) non è riuscito per { $network }, quindi a { $network } non è stato inviato nulla.
err-444 = Facebook sta limitando le richieste di statistiche per questa Pagina. La pubblicazione funziona comunque; riprovare a consultare le statistiche più tardi.
err-447 = Un reel di prova richiede una strategia di promozione: impostare graduationStrategy su MANUAL o SS_PERFORMANCE.
err-448 = La strategia di promozione del reel di prova non è valida: usare esattamente MANUAL o SS_PERFORMANCE.
err-449 = Questi contenuti non possono essere usati per un reel di prova: deve trattarsi di un singolo video .mp4 o .mov, non di un carosello o di una storia.
err-450 = Non è stato possibile convertire l'immagine in JPEG per { $network }. Esportarla di nuovo come JPEG o PNG e riprovare.
err-451 = Non è stato possibile scaricare l'immagine per la conversione. Assicurarsi che l'indirizzo sia pubblico e raggiungibile.
err-452 = Non è stato possibile archiviare temporaneamente l'immagine convertita. Si tratta di un problema temporaneo; è possibile riprovare la pubblicazione.
err-453 = Il caricamento su YouTube ha superato il tempo massimo. Di solito è un problema temporaneo; è possibile riprovare la pubblicazione.
err-454 = Il servizio di caricamento di YouTube è temporaneamente non disponibile. È possibile riprovare la pubblicazione.
err-900 = La richiesta non è formattata correttamente: il corpo non è un JSON valido o un campo ha un tipo errato.
err-901 = Manca un campo obbligatorio: { $field }.
err-902 = L'elenco delle reti è vuoto o contiene una rete non supportata.
err-903 = Troppe richieste. Attendere un momento, quindi riprovare.
err-904 = Questa chiave di profilo non appartiene al suo account.
err-905 = Non è noto se { $network } abbia pubblicato il post. Controllare l'account prima di pubblicare di nuovo, per evitare che il post venga pubblicato due volte.
err-906 = Non è possibile riprovare questo post: non presenta errori per cui sia possibile un nuovo tentativo, oppure è già stato riprovato.
err-907 = Questa chiave di idempotenza è già stata usata per una richiesta diversa.
err-908 = L'autorizzazione di { $network } è scaduta o è stata revocata. Collegare di nuovo l'account.
err-909 = { $network } sta limitando le richieste in questo momento. Attendere prima di pubblicare di nuovo.
err-910 = { $network } è temporaneamente non disponibile. È possibile riprovare la pubblicazione.
err-911 = Si è verificato un errore interno. Riprovare più tardi.
err-912 = Questo endpoint non esiste.
err-913 = Esiste già un profilo con questo titolo.
err-914 = Non è stato trovato alcun profilo con questa chiave.
err-915 = { $network } ha rifiutato il post. Consultare i dettagli per conoscerne il motivo.
err-916 = La data di programmazione non è valida. Usare una data in formato ISO 8601, ad esempio 2026-07-08T12:30:00Z.
err-917 = { $network } non consente di eliminare tramite la propria API i post già pubblicati.
err-918 = Il post è stato eliminato prima dell'invio a { $network }; non è stato pubblicato nulla.
err-919 = Nessun link breve con questo identificativo è stato trovato.
err-920 = crier non offre ancora questo endpoint.
err-921 = Questo post non può più essere modificato: si può aggiornare solo un post programmato non ancora inviato.
err-922 = Nessun contenuto multimediale con questo identificativo è stato trovato, oppure è scaduto.
err-923 = { $network } consente solo { $limit } post al giorno per questo account e il limite è stato raggiunto. Attendere prima di pubblicare di nuovo.
err-924 = Questo endpoint non accetta questo metodo HTTP. L'intestazione Allow elenca i metodi accettati.
