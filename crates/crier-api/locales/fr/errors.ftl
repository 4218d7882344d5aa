# crier error messages (French). Keep ids and variables in sync with en/errors.ftl.

err-102 = Votre clé API est manquante ou n'est pas valide. Envoyez-la sous la forme « Authorization: Bearer <API key> ».
err-107 = Facebook a rejeté la publication. Consultez les détails pour connaître la raison indiquée par Facebook.
err-110 = X a rejeté la publication, car elle est identique à une publication récente.
err-111 = Ce compte X ne peut pas publier de publications longues. Raccourcissez le texte à 280 caractères ou activez les publications longues pour ce compte.
err-132 = Le texte est trop long pour { $network } : la limite est de { $limit } caractères et il la dépasse de { $overage }.
err-136 = Une URL de média n'est pas valide pour { $network }. Les URL de médias doivent être des adresses https complètes.
err-137 = Le même texte a déjà été publié sur { $network } au cours des dernières 48 heures.
err-138 = Instagram n'a pas pu mettre en ligne la publication. Consultez les détails pour connaître la raison indiquée par Instagram.
err-156 = { $network } n'est pas associé à ce profil. Associez le compte, puis publiez à nouveau.
err-161 = L'autorisation Facebook n'est plus valide (par exemple, le mot de passe a été modifié ou l'accès a été retiré). Associez à nouveau Facebook.
err-182 = Le média ne respecte pas les règles de { $network } (nombre, taille, proportions ou durée).
err-186 = Aucune publication avec cet identifiant n'a été trouvée pour ce profil.
err-272 = X n'a pas pu vérifier le compte associé à vos clés : il est peut-être suspendu ou verrouillé, ou vos clés appartiennent à une autre application X que celle du compte associé. Vérifiez le compte sur x.com.
err-379 = Threads n'a pas pu mettre en ligne la publication. Vérifiez que les médias peuvent être téléchargés par Meta.
err-416 = Votre compte développeur X n'a plus de crédits API. Ajoutez des crédits, puis réessayez.
err-418 = Votre jeton d'accès X est en lecture seule. Accordez à votre application X l'autorisation de lecture et d'écriture, puis créez un nouveau jeton d'accès.
err-419 = { $count ->
        [one] Les publications sur X nécessitent vos propres clés API : l'en-tête { $missing } est manquant.
       *[other] Les publications sur X nécessitent vos propres clés API : les en-têtes { $missing } sont manquants.
    }
err-435 = { $cause ->
    [meta] Meta limite les publications Instagram de ce compte (HTTP 429). Patientez avant de publier à nouveau ; le délai demandé par Meta, en secondes, figure dans details.
    [velocity] Instagram a bloqué la publication car le compte publie trop vite. Patientez avant de publier à nouveau.
    [daily] La limite quotidienne de publications Instagram fixée par Meta pour ce compte a été atteinte. Patientez avant de publier à nouveau.
    [limit] La limite de { $limit } publications Instagram par 24 heures a été atteinte. Patientez avant de publier à nouveau ; le délai avant qu'une place se libère, en secondes, figure dans details.
   *[other] La limite de publication d'Instagram a été atteinte. Patientez avant de publier à nouveau.
}
err-436 = Instagram a mis trop de temps à traiter le média. Vous pouvez réessayer la publication.
err-440 = { $network } n'a pas pu télécharger le média depuis son URL. Assurez-vous que l'adresse est publique et ne bloque pas les robots d'exploration.
err-441 = L'amélioration du texte (par exemple le raccourcissement des liens) a échoué pour { $network } ; rien n'a donc été envoyé à { $network }.
err-444 = Facebook limite les requêtes de statistiques pour cette Page. La publication fonctionne toujours ; réessayez d'obtenir les statistiques plus tard.
err-447 = Un reel d'essai nécessite une stratégie de promotion : définissez graduationStrategy sur MANUAL ou SS_PERFORMANCE.
err-448 = La stratégie de promotion du reel d'essai n'est pas valide : utilisez exactement MANUAL ou SS_PERFORMANCE.
err-449 = Ce média ne peut pas être utilisé pour un reel d'essai : il doit s'agir d'une seule vidéo .mp4 ou .mov, et non d'un carrousel ou d'une story.
err-450 = L'image n'a pas pu être convertie en JPEG pour { $network }. Exportez-la à nouveau en JPEG ou PNG, puis réessayez.
err-451 = L'image n'a pas pu être téléchargée pour la conversion. Assurez-vous que l'adresse est publique et accessible.
err-452 = L'image convertie n'a pas pu être stockée temporairement. Il s'agit d'un problème temporaire ; vous pouvez réessayer la publication.
err-453 = Le délai d'envoi vers YouTube a expiré. Ce problème est généralement temporaire ; vous pouvez réessayer la publication.
err-454 = Le service de mise en ligne de YouTube est temporairement indisponible. Vous pouvez réessayer la publication.
err-900 = La requête est mal formée : le corps n'est pas un JSON valide ou un champ n'a pas le bon type.
err-901 = Un champ obligatoire est manquant : { $field }.
err-902 = La liste des réseaux est vide ou contient un réseau non pris en charge.
err-903 = Trop de requêtes. Patientez un instant, puis réessayez.
err-904 = Cette clé de profil n'appartient pas à votre compte.
err-905 = Impossible de savoir si { $network } a mis en ligne la publication. Vérifiez le compte avant de publier à nouveau, afin que la publication ne soit pas publiée deux fois.
err-906 = Cette publication ne peut pas être relancée : elle ne comporte aucun échec pouvant faire l'objet d'une nouvelle tentative, ou elle a déjà été relancée.
err-907 = Cette clé d'idempotence a déjà été utilisée pour une autre requête.
err-908 = L'autorisation { $network } a expiré ou a été révoquée. Associez à nouveau le compte.
err-909 = { $network } limite actuellement les requêtes. Patientez avant de publier à nouveau.
err-910 = { $network } est temporairement indisponible. Vous pouvez réessayer la publication.
err-911 = Une erreur interne s'est produite. Veuillez réessayer plus tard.
err-912 = Ce point de terminaison n'existe pas.
err-913 = Un profil portant ce titre existe déjà.
err-914 = Aucun profil correspondant à cette clé n'a été trouvé.
err-915 = { $network } a refusé la publication. Consultez les détails pour en connaître la raison.
err-916 = La date de programmation n'est pas valide. Utilisez une date au format ISO 8601, par exemple 2026-07-08T12:30:00Z.
err-917 = { $network } ne permet pas de supprimer via son API des publications déjà en ligne.
err-918 = La publication a été supprimée avant d'être envoyée à { $network } ; rien n'a été publié.
err-919 = Aucun lien court avec cet identifiant n'a été trouvé.
err-920 = crier ne propose pas encore ce point d'accès.
err-921 = Cette publication ne peut plus être modifiée : seule une publication programmée qui n'a pas encore été envoyée peut l'être.
err-922 = Aucun média avec cet identifiant n'a été trouvé, ou il a expiré.
err-923 = { $network } n'autorise que { $limit } publications par jour pour ce compte, et cette limite est atteinte. Patientez avant de publier à nouveau.
err-924 = Ce point de terminaison n'accepte pas cette méthode HTTP. L'en-tête Allow indique les méthodes acceptées.
