# crier error messages (Spanish). Keep ids and variables in sync with en/errors.ftl.

err-102 = Falta su clave de API o no es válida. Envíela con el formato "Authorization: Bearer <API key>".
err-107 = Facebook rechazó la publicación. Consulte los detalles para ver el motivo indicado por Facebook.
err-110 = X rechazó la publicación porque es un duplicado de una publicación reciente.
err-111 = Esta cuenta de X no puede hacer publicaciones largas. Acorte el texto a 280 caracteres o active las publicaciones largas para la cuenta.
err-132 = El texto es demasiado largo para { $network }: el límite es de { $limit } caracteres y lo supera en { $overage }.
err-136 = Una URL de contenido multimedia no es válida para { $network }. Las URL de contenido multimedia deben ser direcciones https completas.
err-137 = El mismo texto ya se publicó en { $network } en las últimas 48 horas.
err-138 = Instagram no pudo realizar la publicación. Consulte los detalles para ver el motivo indicado por Instagram.
err-156 = { $network } no está vinculado a este perfil. Vincule la cuenta y vuelva a publicar.
err-161 = La autorización de Facebook ya no es válida (por ejemplo, se cambió la contraseña o se retiró el acceso). Vuelva a vincular Facebook.
err-182 = El contenido multimedia no cumple las reglas de { $network } (cantidad, tamaño, relación de aspecto o duración).
err-186 = No se encontró ninguna publicación con este identificador para este perfil.
err-272 = X no pudo verificar la cuenta asociada a sus claves: es posible que esté suspendida o bloqueada, o que sus claves pertenezcan a una app de X distinta de la de la cuenta vinculada. Revise la cuenta en x.com.
err-379 = Threads no pudo realizar la publicación. Compruebe que Meta pueda descargar el contenido multimedia.
err-416 = A su cuenta de desarrollador de X no le quedan créditos de API. Añada créditos y vuelva a intentarlo.
err-418 = Su token de acceso de X es de solo lectura. Otorgue a su app de X permisos de lectura y escritura, y cree un nuevo token de acceso.
err-419 = { $count ->
        [one] Las publicaciones en X requieren sus propias claves de API: falta el encabezado { $missing }.
       *[other] Las publicaciones en X requieren sus propias claves de API: faltan los encabezados { $missing }.
    }
err-435 = { $cause ->
    [meta] Meta está limitando las publicaciones de Instagram de esta cuenta (HTTP 429). Espere antes de volver a publicar; los segundos que pidió Meta están en details.
    [velocity] Instagram bloqueó la publicación porque la cuenta publica demasiado rápido. Espere antes de volver a publicar.
    [daily] Se alcanzó el límite diario de publicaciones de Instagram que Meta fija para esta cuenta. Espere antes de volver a publicar.
    [limit] Se alcanzó el límite de { $limit } publicaciones de Instagram cada 24 horas. Espere antes de volver a publicar; los segundos hasta que se libere un espacio están en details.
   *[other] Se alcanzó el límite de publicación de Instagram. Espere antes de volver a publicar.
}
err-436 = Instagram tardó demasiado en procesar el contenido multimedia. Puede reintentar la publicación.
err-440 = { $network } no pudo descargar el contenido multimedia desde su URL. Asegúrese de que la dirección sea pública y no bloquee a los rastreadores.
err-441 = No se pudo mejorar el texto (por ejemplo, acortar los enlaces) para { $network }, así que no se envió nada a { $network }.
err-444 = Facebook está limitando las solicitudes de estadísticas para esta página. La publicación sigue funcionando; vuelva a consultar las estadísticas más tarde.
err-447 = Un reel de prueba necesita una estrategia de promoción: establezca graduationStrategy en MANUAL o SS_PERFORMANCE.
err-448 = La estrategia de promoción del reel de prueba no es válida: use exactamente MANUAL o SS_PERFORMANCE.
err-449 = Este contenido no se puede usar para un reel de prueba: debe ser un único video .mp4 o .mov, no un carrusel ni una historia.
err-450 = No se pudo convertir la imagen a JPEG para { $network }. Vuelva a exportarla como JPEG o PNG e inténtelo de nuevo.
err-451 = No se pudo descargar la imagen para convertirla. Asegúrese de que la dirección sea pública y accesible.
err-452 = No se pudo almacenar temporalmente la imagen convertida. Se trata de un problema temporal; puede reintentar la publicación.
err-453 = Se agotó el tiempo de espera de la subida a YouTube. Suele ser un problema temporal; puede reintentar la publicación.
err-454 = El servicio de subida de YouTube no está disponible temporalmente. Puede reintentar la publicación.
err-900 = La solicitud tiene un formato incorrecto: el cuerpo no es un JSON válido o un campo tiene un tipo incorrecto.
err-901 = Falta un campo obligatorio: { $field }.
err-902 = La lista de redes está vacía o contiene una red no compatible.
err-903 = Demasiadas solicitudes. Espere un momento y vuelva a intentarlo.
err-904 = Esta clave de perfil no pertenece a su cuenta.
err-905 = No se sabe si { $network } llegó a publicar el contenido. Revise la cuenta antes de volver a publicar para evitar que se publique dos veces.
err-906 = Esta publicación no se puede reintentar: no tiene ningún error que admita un reintento o ya se reintentó.
err-907 = Esta clave de idempotencia ya se usó para una solicitud diferente.
err-908 = La autorización de { $network } caducó o fue revocada. Vuelva a vincular la cuenta.
err-909 = { $network } está limitando las solicitudes en este momento. Espere antes de volver a publicar.
err-910 = { $network } no está disponible temporalmente. Puede reintentar la publicación.
err-911 = Se produjo un error interno. Vuelva a intentarlo más tarde.
err-912 = Este punto de conexión no existe.
err-913 = Ya existe un perfil con este título.
err-914 = No se encontró ningún perfil con esta clave.
err-915 = { $network } rechazó la publicación. Consulte los detalles para ver el motivo.
err-916 = La fecha de programación no es válida. Use una fecha ISO 8601, como 2026-07-08T12:30:00Z.
err-917 = { $network } no permite eliminar mediante su API las publicaciones ya publicadas.
err-918 = La publicación se eliminó antes de enviarse a { $network }; no se publicó nada.
err-919 = No se encontró ningún enlace corto con este identificador.
err-920 = crier todavía no ofrece este punto de acceso.
err-921 = Esta publicación ya no se puede modificar: solo se puede actualizar una publicación programada que aún no se haya enviado.
err-922 = No se encontró ningún archivo multimedia con este identificador, o ha caducado.
err-923 = { $network } solo permite { $limit } publicaciones al día para esta cuenta y se alcanzó ese límite. Espere antes de volver a publicar.
err-924 = Este punto de conexión no acepta este método HTTP. La cabecera Allow indica los métodos que acepta.
